import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import scala.Tuple2;
import java.util.Arrays;

/** A tiny job for cluster deploy mode: one shuffle, then a pause so the capture sees it run. */
public class TinyJob {
    public static void main(String[] args) throws Exception {
        JavaSparkContext sc = new JavaSparkContext(new SparkConf().setAppName("tiny-cluster-mode"));
        long n = sc.parallelize(Arrays.asList(1, 2, 3, 4, 5, 6, 7, 8), 4)
            .mapToPair(x -> new Tuple2<>(x % 3, x)).reduceByKey(Integer::sum).count();
        System.out.println("TinyJob result " + n);
        Thread.sleep(Long.parseLong(args.length > 0 ? args[0] : "5000"));
        sc.stop();
    }
}
