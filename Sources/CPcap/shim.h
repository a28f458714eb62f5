#ifndef DASAUDIT_CPCAP_SHIM_H
#define DASAUDIT_CPCAP_SHIM_H
#include <pcap/pcap.h>
#endif
