import CUserDatabase
import Foundation

/// `--user NAME`: gives up root once the capture device is open, as `tcpdump -Z` does,
/// so decoding packets from the network and writing files and reports run unprivileged.
/// Files written after the switch belong to the user, and `--write` needs a directory the
/// user may write to.
enum UserSwitch {
    /// Said in `--user`'s help: where this build looks the user up.
    #if DASAUDIT_STATIC_EXECUTABLE
    static let whereUsersComeFrom = " This static build reads local accounts only (/etc/passwd and /etc/group)."
    #else
    static let whereUsersComeFrom = ""
    #endif

    /// Why the process could not become the user.
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Becomes `name`: its groups (initgroups, which calls setgroups), its group, then its
    /// user id, in that order, since after `setuid` the others are no longer allowed.
    static func become(_ name: String) throws {
        #if DASAUDIT_STATIC_EXECUTABLE
        // The static binary carries its own C library: the host's NSS modules (sss, ldap)
        // belong to the host's, so users come from /etc/passwd and /etc/group alone.
        guard cuserdb_use_local_files() == 1 else {
            throw Failure(description: "--user \(name): cannot limit user lookups to /etc/passwd and /etc/group")
        }
        let source = " in /etc/passwd (this static build reads local accounts only)"
        #else
        let source = ""
        #endif
        guard let entry = getpwnam(name) else {
            throw Failure(description: "--user \(name): no such user\(source)")
        }
        let uid = entry.pointee.pw_uid, gid = entry.pointee.pw_gid
        guard initgroups(name, gid) == 0, setgid(gid) == 0, setuid(uid) == 0 else {
            throw Failure(description: "--user \(name): cannot switch to it: \(String(cString: strerror(errno)))"
                + (geteuid() == 0 ? "" : " (only root can switch users)"))
        }
        if uid != 0 && setuid(0) == 0 {
            throw Failure(description: "--user \(name): root could be regained after switching; refusing to go on")
        }
    }
}
