"""A tiny PySpark job: one shuffle, then a pause so two applications overlap."""
import sys, time
from pyspark import SparkConf, SparkContext
name, pause = sys.argv[1], float(sys.argv[2])
sc = SparkContext(conf=SparkConf().setAppName(name))
print(name, "result", sc.parallelize(range(100), 4).map(lambda x: (x % 5, x)).reduceByKey(lambda a, b: a + b).collect())
print(name, "ui", sc.uiWebUrl)
time.sleep(pause)
print(name, "second", sc.parallelize(range(50), 4).map(lambda x: (x % 3, 1)).reduceByKey(lambda a, b: a + b).count())
sc.stop()
