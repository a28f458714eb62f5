// Real bytes, generated from the captures in captures/ with scripts/recording/first-payloads.sh:
// the first 128 bytes (at most) of the first payload segment of each side of one connection.
// Nothing here was written by hand.

/// The first payload bytes of both sides of one real connection.
struct RealSample {
    let name: String
    let client: [UInt8]
    let server: [UInt8]

    init(_ name: String, client: String, server: String) {
        self.name = name
        self.client = RealSample.bytes(client)
        self.server = RealSample.bytes(server)
    }

    static func bytes(_ hex: String) -> [UInt8] {
        var result: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            result.append(UInt8(hex[index..<next], radix: 16)!)
            index = next
        }
        return result
    }
}

enum RealSamples {
    /// protocols-lo.pcap, 127.0.0.1:38166 -> 127.0.0.1:17611: python3-thrift TCompactProtocol, TBufferedTransport: connect().
    static let thriftCompact = RealSample(
        "thriftCompact",
        client: "82210007636f6e6e656374180561646d696e180561646d696e00",
        server: "82410007636f6e6e65637408000761646d696e2d3100")
    /// protocols-lo.pcap, 127.0.0.1:38748 -> 127.0.0.1:17612: python3-thrift TBinaryProtocol (strict), TFramedTransport.
    static let thriftBinaryFramed = RealSample(
        "thriftBinaryFramed",
        client: "0000002c8001000100000007636f6e6e656374000000000b00010000000561646d696e0b00020000000561646d696e00",
        server: "000000228001000200000007636f6e6e656374000000000b00000000000761646d696e2d3100")
    /// protocols-lo.pcap, 127.0.0.1:45000 -> 127.0.0.1:17613: python3-thrift TBinaryProtocol with strictWrite=False (old style), buffered; no reply.
    static let thriftBinaryOldStyle = RealSample(
        "thriftBinaryOldStyle",
        client: "00000007636f6e6e65637401000000000b00010000000561646d696e0b00020000000561646d696e00",
        server: "")
    /// protocols-lo.pcap, 127.0.0.1:49962 -> 127.0.0.1:18441: openssl s_client -tls1 to s_server -tls1 (SECLEVEL=0).
    static let tls10 = RealSample(
        "tls10",
        client: "16030100630100005f0301f066f5d1dd91d02f553181e707d55fe82b43cfa7229c5bdbcce2e7d6eaae5e0a000012c00ac0140039c009c01300330035002f00ff01000024000b000403000102000a000c000a001d0017001e00190018002300000016000000170000",
        server: "1603010045020000410301c7f9c72b69af0f84d71f4b02049551e91020dbbc9af3ffd1a9bcf01c67f46ed100c014000019ff01000100000b00040300010200230000001600000017000016030103170b00031300031000030d30820309308201f1a00302010202143ec725aafa9db214fbcc14012c86cccb054d7907300d0609")
    /// protocols-lo.pcap, 127.0.0.1:59190 -> 127.0.0.1:18442: openssl s_client -tls1_1 to s_server -tls1_1.
    static let tls11 = RealSample(
        "tls11",
        client: "16030100630100005f0302cb1afa2e669d702c40f5fb7bb2138cc8ed8cd5285403000fc1776894330017fd000012c00ac0140039c009c01300330035002f00ff01000024000b000403000102000a000c000a001d0017001e00190018002300000016000000170000",
        server: "1603020045020000410302b57d57e32bdfe75ccb92f519bda5b5918335e10b0d94e4a6dba6f5bde0f4000400c014000019ff01000100000b00040300010200230000001600000017000016030203170b00031300031000030d30820309308201f1a00302010202143ec725aafa9db214fbcc14012c86cccb054d7907300d0609")
    /// protocols-lo.pcap, 127.0.0.1:39136 -> 127.0.0.1:18443: openssl s_client -tls1_2 to s_server -tls1_2.
    static let tls12 = RealSample(
        "tls12",
        client: "16030100bd010000b90303d632f641811d8d1a2d3fdae27dea6eab562e688105b95719893ce0adeface7d2000038c02cc030009fcca9cca8ccaac02bc02f009ec024c028006bc023c0270067c00ac0140039c009c0130033009d009c003d003c0035002f00ff01000058000b000403000102000a000c000a001d0017001e0019",
        server: "16030300410200003d0303dc2852984d425e0ba921cd3f1b90134bf53f68d1323ccd14f6d21fe130c909e700c030000015ff01000100000b000403000102002300000017000016030303170b00031300031000030d30820309308201f1a00302010202143ec725aafa9db214fbcc14012c86cccb054d7907300d06092a864886")
    /// protocols-lo.pcap, 127.0.0.1:33888 -> 127.0.0.1:18444: openssl s_client -tls1_3 to s_server -tls1_3.
    static let tls13 = RealSample(
        "tls13",
        client: "16030100dc010000d8030332218f47c916961fec28191525cd40062b02774e42db9b0ac30dc5bac047af7020a4d8ae21ac72ef034f7b8c078ffae8c7159c24131269eadd39434f1bb6b8c950000813021303130100ff01000087000b000403000102000a00160014001d0017001e001900180100010101020103010400230000",
        server: "160303007a0200007603037701cbd92980aaf1e8d5204ec17a75a8df7b7780aaa2f9d2ed0d6d6458033ee520a4d8ae21ac72ef034f7b8c078ffae8c7159c24131269eadd39434f1bb6b8c950130200002e002b0002030400330024001d00204c0fd5caaf1ae71d0cb2def2d9cb205a2032583024061ecd0406ca812ff8e01114")
    /// protocols-lo.pcap, 127.0.0.1:48748 -> 127.0.0.1:18080: curl to python3 -m http.server.
    static let http = RealSample(
        "http",
        client: "474554202f20485454502f312e310d0a486f73743a203132372e302e302e313a31383038300d0a557365722d4167656e743a206375726c2f372e38382e310d0a4163636570743a202a2f2a0d0a0d0a",
        server: "485454502f312e3020323030204f4b0d0a5365727665723a2053696d706c65485454502f302e3620507974686f6e2f332e31312e320d0a446174653a205765642c2030322044656320323032362030363a32373a323120474d540d0a436f6e74656e742d747970653a20746578742f68746d6c3b20636861727365743d757466")
    /// protocols-lo.pcap, 127.0.0.1:48754 -> 127.0.0.1:18080: curl --http2-prior-knowledge to python3 -m http.server (which answers in HTTP/1 HTML).
    static let http2Preface = RealSample(
        "http2Preface",
        client: "505249202a20485454502f322e300d0a0d0a534d0d0a0d0a00001204000000000000030000006400040200000000020000000000000408000000000001ff0001",
        server: "3c21444f43545950452048544d4c3e0a3c68746d6c206c616e673d22656e223e0a202020203c686561643e0a20202020202020203c6d65746120636861727365743d227574662d38223e0a20202020202020203c7469746c653e4572726f7220726573706f6e73653c2f7469746c653e0a202020203c2f686561643e0a202020")
    /// protocols-lo.pcap, 127.0.0.1:55410 -> 127.0.0.1:18022: OpenSSH client to openssh-server.
    static let ssh = RealSample(
        "ssh",
        client: "5353482d322e302d4f70656e5353485f392e3270312044656269616e2d322b64656231327531300d0a",
        server: "5353482d322e302d4f70656e5353485f392e3270312044656269616e2d322b64656231327531300d0a")
    /// protocols-lo.pcap, 127.0.0.1:53902 -> 127.0.0.1:19999: a javac-compiled JMX client to OpenJDK's JMX remote (RMI registry).
    static let jrmi = RealSample(
        "jrmi",
        client: "4a524d4900024b",
        server: "4e00093132372e302e302e310000d28e")
    /// spark-cluster-offset2-lo.pcap, 127.0.0.1:49818 -> 127.0.0.1:7079: Spark 4.0.1 worker registering with the master (RpcRequest / RpcResponse).
    static let sparkRPC = RealSample(
        "sparkRPC",
        client: "00000000000000bf0361217e43adb881b7000000aa",
        server: "00000000000000440461217e43adb881b70000002f")
    /// spark-cluster-offset2-lo.pcap, 127.0.0.1:59184 -> 127.0.0.1:12002: Spark 4.0.1: RpcRequest to the driver's block manager.
    static let sparkBlockManager = RealSample(
        "sparkBlockManager",
        client: "0000000000000055037999581eb4e84ce700000040",
        server: "0000000000000022047999581eb4e84ce70000000d")
    /// spark-cluster-offset2-lo.pcap, 127.0.0.1:37362 -> 127.0.0.1:7613: python3-thrift TBinaryProtocol (strict), buffered.
    static let thriftBinaryUnframed = RealSample(
        "thriftBinaryUnframed",
        client: "80010001000000077075626c697368000000000000030c7b2273747265616d223a226f72672e77736f322e6576656e74222c227061796c6f6164223a307d7b2273747265616d223a226f72672e77736f322e6576656e74222c227061796c6f6164223a307d7b2273747265616d223a226f72672e77736f322e6576656e74222c",
        server: "80010002000000077075626c69736800000000000000066f6b3a373830")
    /// spark-cluster-offset2-lo.pcap, 127.0.0.1:48108 -> 127.0.0.1:7713: python3-thrift TSSLSocket (Python ssl, TLS 1.3).
    static let tls13Thrift = RealSample(
        "tls13Thrift",
        client: "1603010124010001200303d78e6038a43435181023e712df44b938e4f14eae8b89e8b0b92a55496ffe6267208049f3ad60a54b8c75e094884926c69e13feae231c9fe4fa74fa5163e4ec1536003e130213031301c02cc030009fcca9cca8ccaac02bc02f009ec024c028006bc023c0270067c00ac0140039c009c0130033009d",
        server: "160303007a0200007603036f135bc8f3c3cc7736c24949312d9bb16eee3f49a4d3a84bfc934ce457638a80208049f3ad60a54b8c75e094884926c69e13feae231c9fe4fa74fa5163e4ec1536130200002e002b0002030400330024001d00204bd7fe615f8d21992c97f406c723cc7363156107a7e2c831c3f137910d05d67214")
    /// spark-cluster-offset2-lo.pcap, 127.0.0.1:48700 -> 127.0.0.1:45335: PySpark's Py4J gateway authentication (not a catalog protocol: other).
    static let py4jAuth = RealSample(
        "py4jAuth",
        client: "410a363133343931323131636336326638303031616430643465303936613966393737336430363065323161303734663064326332663964613762363630393937640a",
        server: "2179760a")
    /// misconfigured-node-lo.pcap, 127.0.0.1:43498 -> 127.0.0.2:7611: curl to python3 -m http.server on the thrift port of the misconfigured node.
    static let httpOnThriftPort = RealSample(
        "httpOnThriftPort",
        client: "474554202f20485454502f312e310d0a486f73743a203132372e302e302e323a373631310d0a557365722d4167656e743a206375726c2f372e38382e310d0a4163636570743a202a2f2a0d0a0d0a",
        server: "485454502f312e3020323030204f4b0d0a5365727665723a2053696d706c65485454502f302e3620507974686f6e2f332e31312e320d0a446174653a205765642c2030322044656320323032362030363a32373a333020474d540d0a436f6e74656e742d747970653a20746578742f68746d6c3b20636861727365743d757466")

    /// protocol-evidence-lo.pcap, 127.0.0.1:38646 -> 127.0.0.21:9443: a tlslite-ng 0.8.2 client to a tlslite-ng server, both limited to SSL 3.0.
    static let ssl3 = RealSample(
        "ssl3",
        client: "16030000530100004f03005e614995df42ce5f8322ecbb522b1367a9f56f50116e19b87f1662c354d6196d00002000ffc00ac009c008c014c013c0120039003300160035002f000a00380032001301000006000900020100",
        server: "16030000310200002d0300b9123d8a44e704188e3c5d27656304e27b34908ff0ed5b1ca406b33c0d4fca8a00c014000005ff0100010016030003170b00031300031000030d30820309308201f1a003020102021412d8cfdd1a7eade005b3a68bf89a5ad1f788bbbb300d06092a864886f70d01010b0500301431123010060355")
    /// protocol-evidence-lo.pcap, 127.0.0.1:59382 -> 127.0.0.21:7711: OpenJDK 17's JSSE with SSLv2Hello enabled (an SSLv2-format CLIENT-HELLO, version 3.3) to openssl s_server -tls1_2, which answers in TLS 1.2.
    static let sslv2FormatHello = RealSample(
        "sslv2FormatHello",
        client: "8095010303006c0000002000c02c00c02b00cca900c03000cca800c02f00009f00ccaa0000a300009e0000a200c02400c02800c02300c02700006b00006a00006700004000c00a0700c000c01400c00906004000c01300003900003800003300003200009d00009c00003d00003c00003500002f0000ff7c5ef92b5309fc6dfd",
        server: "16030300510200004d0303fb5d86355a8b4c5d4946d98532efed1d0302336f15b7dac10c6fd58d8f2288e220df5e2c6651a9891243f0125547d666277a62eb5be5c4d596a3877c8dc95d0ec7009f000005ff0100010016030303170b00031300031000030d30820309308201f1a003020102021412d8cfdd1a7eade005b3a68b")
    /// protocol-evidence-lo.pcap, 127.0.0.1:32770 -> 127.0.0.21:4000: hazelcast-python-client 5.7.0 ("CP2", then its authentication frame) to a listener that only reads.
    static let hazelcastClient5 = RealSample(
        "hazelcastClient5",
        client: "4350322800000000c1000100000100000000000000ffffffff00ce4807c53661d665cd017f7008b6e996010900000000006465760600000000040600000000040900000000005059480b0000000000352e372e30110000000000687a2e636c69656e745f30060000000010060000000028",
        server: "")
    /// protocol-evidence-lo.pcap, 127.0.0.1:50020 -> 127.0.0.21:4000: hazelcast-python-client 3.12.3 ("CB2" alone in the first segment) to a listener that only reads.
    static let hazelcastClient3 = RealSample(
        "hazelcastClient3",
        client: "434232",
        server: "")

    /// databases-lo.pcap, 127.0.0.1:44822 -> 127.0.0.22:6379: redis-cli 7.0.15 SET to redis-server 7.0.15.
    static let redisSet = RealSample(
        "redisSet",
        client: "2a330d0a24330d0a5345540d0a2431380d0a64617361756469743a7265636f7264696e670d0a24310d0a310d0a",
        server: "2b4f4b0d0a")
    /// databases-lo.pcap, 127.0.0.1:60642 -> 127.0.0.23:3306: the mariadb client to MariaDB 10.11.19 (the server speaks first: its handshake, protocol 10).
    static let mysql = RealSample(
        "mysql",
        client: "d000000184a2bf000000100021000000000000000000000000000000000000001d0000006461730014a57297e194c48c768071b7247b83c945b42537536d7973716c5f6e61746976655f70617373776f72640080035f6f73054c696e75780c5f636c69656e745f6e616d650a6c69626d617269616462045f7069640532383039",
        server: "640000000a352e352e352d31302e31312e31392d4d6172696144422d302b646562313275310005000000357d3a493e3b4e5500fef72d0200ff81150000000000001d000000407e7d765a3d645f3276213d006d7973716c5f6e61746976655f70617373776f726400")
    /// databases-lo.pcap, 127.0.0.1:56896 -> 127.0.0.24:389: ldapsearch to OpenLDAP slapd 2.5.13: an anonymous bind first.
    static let ldapSearch = RealSample(
        "ldapSearch",
        client: "300c020101600702010304008000",
        server: "300c02010161070a010004000400")
    /// databases-lo.pcap, 127.0.0.1:56904 -> 127.0.0.24:389: ldapwhoami to OpenLDAP slapd 2.5.13: a simple bind as cn=admin.
    static let ldapBind = RealSample(
        "ldapBind",
        client: "30380201016033020103041a636e3d61646d696e2c64633d6461732c64633d6578616d706c65801264617361756469742d7265636f7264696e67",
        server: "300c02010161070a010004000400")
    /// databases-lo.pcap, 127.0.0.1:34238 -> 127.0.0.25:5432: psql (libpq, sslmode=prefer) to PostgreSQL 15.18: an SSLRequest, answered 'N'.
    static let postgresqlSSLRequest = RealSample(
        "postgresqlSSLRequest",
        client: "0000000804d2162f",
        server: "4e")
    /// databases-lo.pcap, 127.0.0.1:34248 -> 127.0.0.25:5432: psql (libpq, sslmode=disable) to PostgreSQL 15.18: the StartupMessage, protocol 3.0.
    static let postgresqlStartup = RealSample(
        "postgresqlStartup",
        client: "0000003f000300007573657200706f73746772657300646174616261736500706f737467726573006170706c69636174696f6e5f6e616d65007073716c0000",
        server: "520000000800000000530000001a6170706c69636174696f6e5f6e616d65007073716c005300000019636c69656e745f656e636f64696e670055544638005300000017446174655374796c650049534f2c204d445900530000002664656661756c745f7472616e73616374696f6e5f726561645f6f6e6c79006f666600530000")

    /// protocol-sides-lo.pcap, 127.0.0.1:52510 -> 127.0.0.80:9443: nginx 1.22.1 without `ssl` on 9443, curl https://: a ClientHello answered by a plaintext 400.
    static let httpsToPlainNginx = RealSample(
        "httpsToPlainNginx",
        client: "1603010200010001fc0303b52c944ead5405cc1d8a6aa490eb8905099397f1ea9def210963d3c38cf2500120e001be88766d8ccc90f051c13ea952389b1b19a2df912536c93d84657dce7313003e130213031301c02cc030009fcca9cca8ccaac02bc02f009ec024c028006bc023c0270067c00ac0140039c009c0130033009d",
        server: "485454502f312e31203430302042616420526571756573740d0a5365727665723a206e67696e782f312e32322e310d0a446174653a205361742c2030352044656320323032362030393a31333a343820474d540d0a436f6e74656e742d547970653a20746578742f68746d6c0d0a436f6e74656e742d4c656e6774683a203135")
    /// protocol-sides-lo.pcap, 127.0.0.1:35740 -> 127.0.0.81:9443: nginx 1.22.1 with `ssl` on 9443, curl http://: a plaintext request answered by nginx's plaintext 400 ("The plain HTTP request was sent to HTTPS port").
    static let httpToTLSNginx = RealSample(
        "httpToTLSNginx",
        client: "474554202f20485454502f312e310d0a486f73743a203132372e302e302e38313a393434330d0a557365722d4167656e743a206375726c2f372e38382e310d0a4163636570743a202a2f2a0d0a0d0a",
        server: "485454502f312e31203430302042616420526571756573740d0a5365727665723a206e67696e782f312e32322e310d0a446174653a205361742c2030352044656320323032362030393a31333a343820474d540d0a436f6e74656e742d547970653a20746578742f68746d6c0d0a436f6e74656e742d4c656e6774683a203235")
    /// protocol-sides-lo.pcap, 127.0.0.1:43958 -> 127.0.0.63:31339: Python 3.11 http.server on 31339, curl https://: a ClientHello answered by an HTML error page with no status line.
    static let httpsToPythonHTTPServer = RealSample(
        "httpsToPythonHTTPServer",
        client: "1603010200010001fc0303173c5b37abb7f6507c76a2b77ed43635ebdd3c336c8bf2ab26a1750d600ef5ea20c334e11a87ccb4a8fdcd0ca206384dcd1f777096e65a8d2b69e63106f2411283003e130213031301c02cc030009fcca9cca8ccaac02bc02f009ec024c028006bc023c0270067c00ac0140039c009c0130033009d",
        server: "3c21444f43545950452048544d4c3e0a3c68746d6c206c616e673d22656e223e0a202020203c686561643e0a20202020202020203c6d65746120636861727365743d227574662d38223e0a20202020202020203c7469746c653e4572726f7220726573706f6e73653c2f7469746c653e0a202020203c2f686561643e0a202020")
    /// protocol-sides-lo.pcap, 127.0.0.1:53434 -> 127.0.0.62:9443: openssl s_server -www on 9443, curl http://: the server sends nothing back.
    static let httpToSilentTLSServer = RealSample(
        "httpToSilentTLSServer",
        client: "474554202f20485454502f312e310d0a486f73743a203132372e302e302e36323a393434330d0a557365722d4167656e743a206375726c2f372e38382e310d0a4163636570743a202a2f2a0d0a0d0a",
        server: "")
    /// protocol-sides-lo.pcap, 127.0.0.1:55884 -> 127.0.0.72:9443: OpenJDK 17 JSSE SSLServerSocket on 9443 (scripts/recording/sides/TlsServer.java), curl http://: answered with a TLS alert.
    static let httpToJSSEServer = RealSample(
        "httpToJSSEServer",
        client: "474554202f20485454502f312e310d0a486f73743a203132372e302e302e37323a393434330d0a557365722d4167656e743a206375726c2f372e38382e310d0a4163636570743a202a2f2a0d0a0d0a",
        server: "1503030002020a")
    /// protocol-sides-lo.pcap, 127.0.0.1:45606 -> 127.0.0.36:7611: python3-thrift TMultiplexedProtocol over TBinaryProtocol, TFramedTransport: "ThriftEventTransmissionService:connect".
    static let thriftMultiplexedBinaryFramed = RealSample(
        "thriftMultiplexedBinaryFramed",
        client: "0000003f80010001000000265468726966744576656e745472616e736d697373696f6e536572766963653a636f6e6e656374000000010b00010000000561646d696e00",
        server: "0000003380010002000000265468726966744576656e745472616e736d697373696f6e536572766963653a636f6e6e6563740000000100")
    /// protocol-sides-lo.pcap, 127.0.0.1:39420 -> 127.0.0.37:7611: python3-thrift TMultiplexedProtocol over TCompactProtocol, TBufferedTransport.
    static let thriftMultiplexedCompact = RealSample(
        "thriftMultiplexedCompact",
        client: "822101265468726966744576656e745472616e736d697373696f6e536572766963653a636f6e6e656374180561646d696e00",
        server: "824101265468726966744576656e745472616e736d697373696f6e536572766963653a636f6e6e65637400")
    /// protocol-sides-lo.pcap, 127.0.0.1:59140 -> 127.0.0.90:7711: openssl s_client to s_server on 7711, picked up mid-stream: the client's application data (TLS 1.3), the server silent.
    static let tlsMidStream = RealSample(
        "tlsMidStream",
        client: "170303001841611deb00e625e56e3e6d7c6f5acff3d598c2d9fdc1ea84",
        server: "")
    /// protocol-sides-lo.pcap, 127.0.0.1:53278 -> 127.0.0.91:9443: openssl s_client to s_server on 9443, picked up mid-stream: an HTTP request inside TLS application data.
    static let tlsMidStreamHTTP = RealSample(
        "tlsMidStreamHTTP",
        client: "170303002176b6842e44a5df2ea9a427e10bd3e6a7cfb65eb5daed7b3302e43e1d9a63f4c7ec",
        server: "")

    /// proxy-protocol-lo.pcap, 127.0.0.1:36700 -> 127.0.0.1:9445: HAProxy 2.6 `send-proxy` health check to nginx 1.22 (`listen 9445 ssl proxy_protocol`): the v1 header alone, then a close; nginx waits for a hello.
    static let proxyV1HealthCheck = RealSample(
        "proxyV1HealthCheck",
        client: "50524f58592054435034203132372e302e302e31203132372e302e302e3120333637303020393434350d0a",
        server: "")
    /// proxy-protocol-lo.pcap, 127.0.0.1:39808 -> 127.0.0.2:9445: HAProxy 2.6 `send-proxy-v2` health check to nginx 1.22: the v2 header with the LOCAL command alone, then a close.
    static let proxyV2HealthCheck = RealSample(
        "proxyV2HealthCheck",
        client: "0d0a0d0a000d0a515549540a20000000",
        server: "")
    /// proxy-protocol-lo.pcap, 127.0.0.1:36714 -> 127.0.0.1:9445: curl https:// through HAProxy `send-proxy` to nginx `ssl proxy_protocol`: the v1 header in a segment of its own, answered by the ServerHello.
    static let proxyV1ToTLS = RealSample(
        "proxyV1ToTLS",
        client: "50524f58592054435034203132372e302e302e31203132372e302e302e3920343239383820383434330d0a",
        server: "160303006c020000680303b4b573011baa0c999441c1daff0ec103e90af97522b548707f9ea455e00b7404202ad8a858923000aafc77f843016d3a02043354508f888528855b17c5a0a320edc030000020ff01000100000b0004030001020010000b000908687474702f312e310017000016030303170b00031300031000030d")
    /// proxy-protocol-lo.pcap, 127.0.0.1:39834 -> 127.0.0.2:9445: curl https:// through HAProxy `send-proxy-v2` to nginx `ssl proxy_protocol`: the v2 header (TCP over IPv4) in a segment of its own, answered by the ServerHello.
    static let proxyV2ToTLS = RealSample(
        "proxyV2ToTLS",
        client: "0d0a0d0a000d0a515549540a2111000c7f0000017f000009895c20fc",
        server: "160303006c0200006803031163cdef9b89206fa043400fd8bf42d09db4239a1202d1c54ded44d6ce7be22c20fad5680479aba5895aa960be0143a8d06d0cb711a4f88fe207c621dcaafb3331c030000020ff01000100000b0004030001020010000b000908687474702f312e310017000016030303170b00031300031000030d")
    /// proxy-protocol-lo.pcap, 127.0.0.1:43434 -> 127.0.0.3:9765: curl http:// through HAProxy `send-proxy` to nginx `proxy_protocol` on 9765: the v1 header alone, answered by HTTP/1.1 200.
    static let proxyV1ToHTTP = RealSample(
        "proxyV1ToHTTP",
        client: "50524f58592054435034203132372e302e302e31203132372e302e302e3920343936363820383038300d0a",
        server: "485454502f312e3120323030204f4b0d0a5365727665723a206e67696e782f312e32322e310d0a446174653a2053756e2c2030362044656320323032362030333a35323a323720474d540d0a436f6e74656e742d547970653a20746578742f706c61696e0d0a436f6e74656e742d4c656e6774683a20360d0a436f6e6e656374")
    /// proxy-protocol-lo.pcap, 127.0.0.1:47720 -> 127.0.0.4:9445: curl https:// from a long IPv6 address through HAProxy `send-proxy`: a 103-byte "PROXY TCP6" header, longer than the 96-byte sample, answered by the ServerHello.
    static let proxyV1TCP6ToTLS = RealSample(
        "proxyV1TCP6ToTLS",
        client: "50524f5859205443503620666431323a333435363a373839613a626364653a663031323a333435363a373839613a6263643220666431323a333435363a373839613a626364653a663031323a333435363a373839613a6263643120353132343420383434330d0a",
        server: "160303006c020000680303f076ae639cc22c680e26d430fa4672f0fb2b4bb64cb024bd6bdd502beb33038b20abaf48112d71055336b4b1dff5ae108994a7d54c0a7c1062f3874abef027fe42c030000020ff01000100000b0004030001020010000b000908687474702f312e310017000016030303170b00031300031000030d")
    /// proxy-protocol-lo.pcap, 127.0.0.1:36738 -> 127.0.0.1:9445: curl http:// through HAProxy `send-proxy` to nginx `ssl proxy_protocol`: the v1 header alone, answered by nginx's plaintext 400.
    static let proxyV1PlaintextToTLS = RealSample(
        "proxyV1PlaintextToTLS",
        client: "50524f58592054435034203132372e302e302e31203132372e302e302e3920343330313020383434330d0a",
        server: "485454502f312e31203430302042616420526571756573740d0a5365727665723a206e67696e782f312e32322e310d0a446174653a2053756e2c2030362044656320323032362030333a35323a323720474d540d0a436f6e74656e742d547970653a20746578742f68746d6c0d0a436f6e74656e742d4c656e6774683a203235")
    /// proxy-protocol-lo.pcap, 127.0.0.1:49934 -> 127.0.0.5:9445: Python's socket to openssl s_server -www on 9445: a v1 header and a plaintext GET in one segment; the server sends nothing back.
    static let proxyV1AndRequestToSilentTLS = RealSample(
        "proxyV1AndRequestToSilentTLS",
        client: "50524f58592054435034203132372e302e302e39203132372e302e302e3520343030303020393434350d0a474554202f20485454502f312e310d0a486f73743a203132372e302e302e350d0a0d0a",
        server: "")

    /// plaintext-answers-hello-lo.pcap, 127.0.0.1:39186 -> 127.0.0.50:9445: vsftpd 3.0.3 on 9445, curl https://: the ClientHello answered by the plaintext banner "220 (vsFTPd 3.0.3)".
    static let helloAnsweredByFTPBanner = RealSample(
        "helloAnsweredByFTPBanner",
        client: "1603010200010001fc0303699e5451e9b7f435e0155ad0e1c503d7cdda1bd55e4336f1a60c813b2db2788f207ae34fd28cbd131a1798e8e8fad47d2af850de4cb5715359b59c35f9a9b9c582003e130213031301c02cc030009fcca9cca8ccaac02bc02f009ec024c028006bc023c0270067c00ac0140039c009c0130033009d",
        server: "323230202876734654506420332e302e33290d0a")
    /// plaintext-answers-hello-lo.pcap, 127.0.0.1:33472 -> 127.0.0.51:7713: Python 3.11's smtpd on 7713, openssl s_client: the ClientHello answered by the plaintext "220 ... Python SMTP proxy" banner.
    static let helloAnsweredBySMTPBanner = RealSample(
        "helloAnsweredBySMTPBanner",
        client: "1603010124010001200303eeda5614c4f3820c24bc8e9208ae780dfdf54aaa64ed399970cd0cc4a810310920256277d8f2e36ad0f71856790a1aa32b2cec13ab6c19d288a2382bae26ccb81b003e130213031301c02cc030009fcca9cca8ccaac02bc02f009ec024c028006bc023c0270067c00ac0140039c009c0130033009d",
        server: "323230206c6f63616c686f737420507974686f6e20534d54502070726f78792076657273696f6e20302e330d0a")
    /// plaintext-answers-hello-lo.pcap, 127.0.0.1:47486 -> 127.0.0.52:9445: redis-server 7.0 without TLS on 9445, redis-cli --tls: the ClientHello, which Redis reads as an unfinished inline command, unanswered.
    static let helloToSilentRedis = RealSample(
        "helloToSilentRedis",
        client: "160301012401000120030315d775db38d1f6c9f80f6b31681affe7f3740802c09a84b4e48795a5f3f954a82011c3f403fea341d50b5f4741592e44fa4c628a7f6b1e032c735f6c476fa53b8e003e130213031301c02cc030009fcca9cca8ccaac02bc02f009ec024c028006bc023c0270067c00ac0140039c009c0130033009d",
        server: "")

    static let all: [RealSample] = [
        thriftCompact, thriftBinaryFramed, thriftBinaryOldStyle, tls10, tls11, tls12, tls13, http, http2Preface, ssh, jrmi, sparkRPC, sparkBlockManager, thriftBinaryUnframed, tls13Thrift, py4jAuth, httpOnThriftPort,
        ssl3, sslv2FormatHello, hazelcastClient5, hazelcastClient3,
        redisSet, mysql, ldapSearch, ldapBind, postgresqlSSLRequest, postgresqlStartup,
        httpsToPlainNginx, httpToTLSNginx, httpsToPythonHTTPServer, httpToSilentTLSServer, httpToJSSEServer,
        thriftMultiplexedBinaryFramed, thriftMultiplexedCompact, tlsMidStream, tlsMidStreamHTTP,
        proxyV1HealthCheck, proxyV2HealthCheck, proxyV1ToTLS, proxyV2ToTLS, proxyV1ToHTTP, proxyV1TCP6ToTLS,
        proxyV1PlaintextToTLS, proxyV1AndRequestToSilentTLS, helloAnsweredByFTPBanner, helloAnsweredBySMTPBanner, helloToSilentRedis,
    ]
}
