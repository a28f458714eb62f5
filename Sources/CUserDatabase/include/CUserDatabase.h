#ifndef DASAUDIT_CUSERDATABASE_H
#define DASAUDIT_CUSERDATABASE_H

/// Makes user and group lookups (getpwnam, initgroups) read /etc/passwd and /etc/group
/// only, whatever /etc/nsswitch.conf names. For the static binary, which carries its own
/// C library: any other source (sss, ldap, systemd) is a module of the host's C library,
/// and loading it into a process with another one is not supported by glibc. Returns 1
/// when the passwd, group and initgroups databases were all set, 0 otherwise.
int cuserdb_use_local_files(void);

#endif
