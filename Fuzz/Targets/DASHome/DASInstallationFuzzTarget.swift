import FuzzSupport
import Policy

/// The libFuzzer entry point over a DAS installation's configuration, as `--das-home DIR`
/// reads it (`DASInstallation.read`): carbon.xml and event-processor.xml through
/// `XMLElementTree` (dasaudit's own `XMLReader`), and spark-defaults.conf, then the policy
/// they describe.
///
/// An input holds the three files in that order, separated by NUL bytes (which none of
/// them can contain): `carbon.xml \0 spark-defaults.conf \0 event-processor.xml`. A file
/// left out (fewer separators) is absent from the installation, as optional ones may be.
///
/// Beyond "does not crash": an input is either settings or a `PolicyError` naming one of the files.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDASInstallationInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let files = UnsafeRawBufferPointer(start: data, count: size).split(separator: 0, maxSplits: 2, omittingEmptySubsequences: false)
    let scratch = DASHomeFuzzing.scratch
    for (index, name) in DASHomeFuzzing.files.enumerated() {
        if index < files.count {
            files[index].withUnsafeBytes { scratch.write($0, to: name) }
        } else {
            scratch.remove(name)
        }
    }
    do {
        _ = try DASInstallation.read(home: scratch.path).makePolicy()
    } catch let error as PolicyError {
        require(!error.description.isEmpty, "an empty policy error")
    } catch {
        fatalError("a DAS installation failed with something other than a PolicyError: \(error)")
    }
    return 0
}

/// What every input of the DAS installation target shares.
enum DASHomeFuzzing {
    /// The installation the inputs are written into.
    nonisolated(unsafe) static let scratch = ScratchDirectory()  // one input at a time, on one thread
    /// The files an input holds, in order.
    static let files = [DASInstallation.carbonXML, DASInstallation.sparkDefaults, DASInstallation.eventProcessorXML]
}
