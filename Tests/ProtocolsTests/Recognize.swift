import Protocols

/// Runs the recognizer over copies of the bytes in buffers of exactly their size, so a
/// read past the end is a crash under the address sanitizer, not a silent pass.
func recognize(client: [UInt8], server: [UInt8], clientSent: Bool? = nil, serverSent: Bool? = nil,
               clientCut: Bool = false, serverCut: Bool = false, fromStart: Bool = true) -> ProtocolEvidence {
    let clientBuffer = UnsafeMutableRawBufferPointer.allocate(byteCount: client.count, alignment: 1)
    let serverBuffer = UnsafeMutableRawBufferPointer.allocate(byteCount: server.count, alignment: 1)
    defer {
        clientBuffer.deallocate()
        serverBuffer.deallocate()
    }
    clientBuffer.copyBytes(from: client)
    serverBuffer.copyBytes(from: server)
    return ProtocolRecognizer.recognize(
        client: PayloadBytes(UnsafeRawBufferPointer(clientBuffer), sent: clientSent, cutByCapture: clientCut),
        server: PayloadBytes(UnsafeRawBufferPointer(serverBuffer), sent: serverSent, cutByCapture: serverCut),
        fromStart: fromStart)
}

func recognize(_ sample: RealSample) -> ProtocolEvidence {
    recognize(client: sample.client, server: sample.server)
}
