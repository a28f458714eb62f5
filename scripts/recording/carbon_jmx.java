// Two real JMX programs for the Carbon capture (run with `java carbon_jmx.java MODE ...`):
//   serve SECONDS   : idle for SECONDS; started with -Dcom.sun.management.jmxremote.port and
//                     .rmi.port it is a JVM whose JMX agent listens like Carbon's
//                     (RMI registry on RMIRegistryPort, RMI server on RMIServerPort)
//   query HOST PORT : a JMX client: looks the connector up in the registry, connects to the
//                     RMI server and reads two platform MBean attributes.
import java.lang.management.ManagementFactory;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

public class carbon_jmx {
    public static void main(String[] args) throws Exception {
        if (args[0].equals("serve")) {
            System.out.println("READY " + ManagementFactory.getRuntimeMXBean().getName());
            System.out.flush();
            Thread.sleep(Long.parseLong(args[1]) * 1000L);
            return;
        }
        JMXServiceURL url = new JMXServiceURL("service:jmx:rmi:///jndi/rmi://" + args[1] + ":" + args[2] + "/jmxrmi");
        try (JMXConnector connector = JMXConnectorFactory.connect(url)) {
            MBeanServerConnection connection = connector.getMBeanServerConnection();
            Object uptime = connection.getAttribute(new ObjectName("java.lang:type=Runtime"), "Uptime");
            Object threads = connection.getAttribute(new ObjectName("java.lang:type=Threading"), "ThreadCount");
            System.out.println("uptime " + uptime + " ms, threads " + threads);
        }
    }
}
