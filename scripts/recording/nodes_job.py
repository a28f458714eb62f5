"""The PySpark job of scripts/recording/record-nodes.sh: the driver on n1 (10.77.0.1) at
offset 3 (driver 13003, block manager 12003), two rounds of a shuffle on the cluster."""
import time

from pyspark import SparkConf, SparkContext

conf = (SparkConf().setMaster("spark://10.77.0.1:7080").setAppName("nodes-job")
        .set("spark.driver.host", "10.77.0.1").set("spark.driver.bindAddress", "10.77.0.1")
        .set("spark.driver.port", "13003").set("spark.blockManager.port", "12003")
        .set("spark.ui.port", "4043").set("spark.executor.memory", "512m")
        .set("spark.executor.cores", "2").set("spark.cores.max", "4").set("spark.port.maxRetries", "16"))
sc = SparkContext(conf=conf)
for _ in range(2):
    rdd = sc.parallelize(range(200000), 8).map(lambda x: (x % 97, x)).reduceByKey(lambda a, b: a + b)
    print("result", sorted(rdd.collect())[:3], flush=True)
    time.sleep(2)
sc.stop()
