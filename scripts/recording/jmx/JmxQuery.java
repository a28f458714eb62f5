import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

// A JMX client: connects to service:jmx:rmi:///jndi/rmi://HOST:PORT/jmxrmi and reads the
// remote JVM's uptime and heap use, as a monitoring tool would.
public class JmxQuery {
    public static void main(String[] args) throws Exception {
        JMXServiceURL url = new JMXServiceURL("service:jmx:rmi:///jndi/rmi://" + args[0] + ":" + args[1] + "/jmxrmi");
        try (JMXConnector connector = JMXConnectorFactory.connect(url)) {
            MBeanServerConnection connection = connector.getMBeanServerConnection();
            Object uptime = connection.getAttribute(new ObjectName("java.lang:type=Runtime"), "Uptime");
            Object heap = connection.getAttribute(new ObjectName("java.lang:type=Memory"), "HeapMemoryUsage");
            System.out.println("uptime " + uptime + " heap " + heap);
        }
    }
}
