import Protocols
import XCTest

/// Runs the recognizer over copies of the bytes in buffers of exactly their size, so a
/// read past the end is a crash under the address sanitizer, not a silent pass; and fails
/// the test if the answer differs from the one with every recognizer tried on each side
/// (`recognizeTryingEvery`), so that every input a test gives also checks the first byte's
/// choice of recognizers (`FirstByteCandidates`).
func recognize(client: [UInt8], server: [UInt8], clientSent: Bool? = nil, serverSent: Bool? = nil,
               clientCut: Bool = false, serverCut: Bool = false, fromStart: Bool = true,
               file: StaticString = #filePath, line: UInt = #line) -> ProtocolEvidence {
    let clientBuffer = UnsafeMutableRawBufferPointer.allocate(byteCount: client.count, alignment: 1)
    let serverBuffer = UnsafeMutableRawBufferPointer.allocate(byteCount: server.count, alignment: 1)
    defer {
        clientBuffer.deallocate()
        serverBuffer.deallocate()
    }
    clientBuffer.copyBytes(from: client)
    serverBuffer.copyBytes(from: server)
    let clientBytes = PayloadBytes(UnsafeRawBufferPointer(clientBuffer), sent: clientSent, cutByCapture: clientCut)
    let serverBytes = PayloadBytes(UnsafeRawBufferPointer(serverBuffer), sent: serverSent, cutByCapture: serverCut)
    let answer = ProtocolRecognizer.recognize(client: clientBytes, server: serverBytes, fromStart: fromStart)
    let everyTried = ProtocolRecognizer.recognizeTryingEvery(client: clientBytes, server: serverBytes, fromStart: fromStart)
    if answer != everyTried {
        XCTFail("the first byte's recognizers say \(answer), every recognizer \(everyTried): client \(client) "
                + "(cut: \(clientCut)), server \(server) (cut: \(serverCut)), from the start: \(fromStart)", file: file, line: line)
    }
    return answer
}

func recognize(_ sample: RealSample) -> ProtocolEvidence {
    recognize(client: sample.client, server: sample.server)
}
