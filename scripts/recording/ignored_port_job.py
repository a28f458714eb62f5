"""The PySpark job of scripts/recording/record-das-home-ignored.sh: the driver at offset 2
(13002, block manager 12002) with its own block manager on spark.driver.blockManager.port
12602, which the executors fetch the broadcast from."""
import sys

from pyspark import SparkConf, SparkContext

conf = (SparkConf().setMaster("spark://127.0.0.1:7079").setAppName("ignored-port-job")
        .set("spark.driver.host", "127.0.0.1").set("spark.driver.bindAddress", "127.0.0.1")
        .set("spark.driver.port", "13002").set("spark.blockManager.port", "12002")
        .set("spark.driver.blockManager.port", "12602").set("spark.ui.port", "4042")
        .set("spark.executor.memory", "512m").set("spark.executor.cores", "1").set("spark.cores.max", "2")
        .set("spark.port.maxRetries", "16"))
sc = SparkContext(conf=conf)
table = sc.broadcast(list(range(5000)))
for _ in range(2):
    rdd = sc.parallelize(range(20000), 8).map(lambda x: (x % 50, x + len(table.value))).reduceByKey(lambda a, b: a + b)
    print("result", sorted(rdd.collect())[:2], flush=True)
sc.stop()
sys.exit(0)
