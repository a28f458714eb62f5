"""The PySpark job of scripts/recording/record-das-shuffle-default.sh: a driver at DAS's
offset-2 ports (13002, block manager 12002, UI 4042) whose executors register with the
worker's external shuffle service, on Spark's default 7337 (no spark.shuffle.service.port,
as DAS's stock spark-defaults.conf), and fetch a reduceByKey's shuffle files from it."""
import sys

from pyspark import SparkConf, SparkContext

conf = (SparkConf().setMaster("spark://127.0.0.1:7079").setAppName("shuffle-default-job")
        .set("spark.driver.host", "127.0.0.1").set("spark.driver.bindAddress", "127.0.0.1")
        .set("spark.driver.port", "13002").set("spark.blockManager.port", "12002").set("spark.ui.port", "4042")
        .set("spark.shuffle.service.enabled", "true")
        .set("spark.executor.memory", "512m").set("spark.executor.cores", "1").set("spark.cores.max", "2")
        .set("spark.port.maxRetries", "16"))
sc = SparkContext(conf=conf)
rdd = sc.parallelize(range(20000), 4).map(lambda x: (x % 50, x)).reduceByKey(lambda a, b: a + b)
print("result", sorted(rdd.collect())[:2], flush=True)
sc.stop()
sys.exit(0)
