import javax.net.ssl.*; import java.io.*; import java.security.*;
public class TlsServer { public static void main(String[] a) throws Exception {
  KeyStore ks = KeyStore.getInstance("PKCS12"); ks.load(new FileInputStream(a[2]), "changeit".toCharArray());
  KeyManagerFactory kmf = KeyManagerFactory.getInstance("SunX509"); kmf.init(ks, "changeit".toCharArray());
  SSLContext ctx = SSLContext.getInstance("TLS"); ctx.init(kmf.getKeyManagers(), null, null);
  SSLServerSocket ss = (SSLServerSocket) ctx.getServerSocketFactory().createServerSocket(Integer.parseInt(a[1]), 5, java.net.InetAddress.getByName(a[0]));
  if (a.length > 3) ss.setEnabledProtocols(a[3].split(","));
  while (true) { try (SSLSocket s = (SSLSocket) ss.accept()) { s.startHandshake(); InputStream i = s.getInputStream(); byte[] b = new byte[4096]; i.read(b);
    s.getOutputStream().write("HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok".getBytes()); s.getOutputStream().flush(); } catch (Exception e) { System.err.println(e); } } } }
