import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * A TLS client that opens with an SSLv2-format ClientHello, as Java clients did by default
 * up to Java 6 and still do when "SSLv2Hello" is among the enabled protocols: the JDK's own
 * JSSE writes the hello (a 2-byte SSLv2 record header, CLIENT-HELLO, version 3.3), then
 * continues in TLS 1.2. For scripts/recording/record-evidence.sh.
 *
 * Usage: java V2HelloClient HOST PORT PROTOCOLS (for example SSLv2Hello,TLSv1.2). Trusts any
 * certificate (the server's is a throw-away self-signed one), sends one HTTP/1.0 request and
 * prints the negotiated protocol, cipher suite and the answer's first line.
 */
public final class V2HelloClient {
    public static void main(String[] args) throws Exception {
        TrustManager[] trustAll = {new X509TrustManager() {
            public void checkClientTrusted(X509Certificate[] chain, String authType) {}
            public void checkServerTrusted(X509Certificate[] chain, String authType) {}
            public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
        }};
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trustAll, null);
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(args[0], Integer.parseInt(args[1]))) {
            socket.setEnabledProtocols(args[2].split(","));
            socket.startHandshake();
            System.out.println(socket.getSession().getProtocol() + " " + socket.getSession().getCipherSuite());
            OutputStream out = socket.getOutputStream();
            out.write("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            System.out.println(in.readLine());
        }
    }
}
