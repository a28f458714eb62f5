// A JVM that only waits: started with -Dcom.sun.management.jmxremote.port, it serves JMX
// remote (the RMI registry and the RMI server, JRMP on the wire) until it is stopped.
public class JmxIdle {
    public static void main(String[] args) throws Exception {
        System.out.println("READY");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
