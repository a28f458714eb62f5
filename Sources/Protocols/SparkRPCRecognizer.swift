/// Spark's network-common transport (org.apache.spark.network.protocol: MessageEncoder,
/// Message.Type), which carries Spark RPC (Spark 1.6 and later), block transfers and the
/// external shuffle service. Every message is one frame:
///
///     0..<8    frame length, this field included (big-endian 64-bit)
///     8        message type (0 ChunkFetchRequest, 1 ChunkFetchSuccess, 2 ChunkFetchFailure,
///              3 RpcRequest, 4 RpcResponse, 5 RpcFailure, 6 StreamRequest, 7 StreamResponse,
///              8 StreamFailure, 9 OneWayMessage, 10 UploadStream, 11 MergedBlockMetaRequest,
///              12 MergedBlockMetaSuccess)
///     9...     the message: for RpcRequest and RpcResponse a request id (8 bytes) and the
///              body's length (4 bytes), the body filling the rest of the frame; for
///              OneWayMessage the body's length (4); for ChunkFetchRequest a stream id (8)
///              and a chunk index (4); for StreamRequest a string (4-byte length, bytes).
///
/// Authentication rides the same frames: the SASL handshake (`spark.authenticate`) and the
/// AES-based auth protocol (`spark.network.crypto.enabled`) are RpcRequests whose bodies
/// are a SaslMessage (tag 0xEA) or an AuthMessage; so a connection that authenticates is
/// recognized by its first frame like any other.
///
/// The frame length must equal what the header says follows, which a random byte string
/// matches with negligible chance.
public enum SparkRPCRecognizer {
    enum Field {
        static let frameLength = 0
        static let type = 8
        static let requestID = 9
        static let rpcBodyLength = 17
        static let oneWayBodyLength = 9
        static let streamIDLength = 9
    }

    enum MessageType: UInt8 {
        case chunkFetchRequest = 0
        case rpcRequest = 3
        case rpcResponse = 4
        case rpcFailure = 5
        case streamRequest = 6
        case oneWayMessage = 9
    }

    /// Frames above 2 GiB are refused by Spark's TransportFrameDecoder.
    static let maximumFrame: UInt64 = 1 << 31

    public static func recognize(client: PayloadBytes, server: PayloadBytes) -> Recognition {
        .either(frame(client), frame(server), .sparkRPC)
    }

    static func frame(_ side: PayloadBytes) -> Match {
        // A length under 2^31 begins with four zero bytes: bytes cut before the whole length
        // are ruled out by the first of them that is not (a server's cut "HTTP" is no frame).
        for index in 0..<min(side.count, 4) where side[index] != 0 { return .no }
        guard side.has(8) else { return side.sent ? .undecided : .no }
        let frameLength = side.uint64(at: Field.frameLength)
        guard frameLength > 8 && frameLength < maximumFrame else { return .no }
        guard side.has(9) else { return .undecided }
        guard let type = MessageType(rawValue: side[Field.type]) else { return .no }
        switch type {
        case .rpcRequest, .rpcResponse:
            return bodyLength(side, at: Field.rpcBodyLength, plus: 21, equals: frameLength)
        case .rpcFailure, .streamRequest:
            let at = type == .rpcFailure ? Field.rpcBodyLength : Field.streamIDLength
            return bodyLength(side, at: at, plus: UInt64(at + 4), equals: frameLength)
        case .oneWayMessage:
            return bodyLength(side, at: Field.oneWayBodyLength, plus: 13, equals: frameLength)
        case .chunkFetchRequest:
            return .when(frameLength == 21)
        }
    }

    /// Whether the 4-byte length at `at`, plus the header before the body, is the frame's.
    static func bodyLength(_ side: PayloadBytes, at offset: Int, plus header: UInt64, equals frame: UInt64) -> Match {
        guard side.has(offset + 4) else { return .undecided }
        return .when(UInt64(side.uint32(at: offset)) + header == frame)
    }
}
