Dasaudit.runMain()
