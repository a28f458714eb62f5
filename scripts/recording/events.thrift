// A tiny stand-in for the WSO2 DAS thrift event receiver (the real one is
// ThriftEventTransmissionService with connect/publish/disconnect; this keeps
// the same shape: a session id and a list of events).
namespace py dasevents

exception ReceiverError {
  1: string message
}

service EventReceiver {
  // log in; returns a session id
  string connect(1: string userName, 2: string password),
  // publish events; returns the number of events accepted
  i32 publish(1: string sessionId, 2: list<string> events) throws (1: ReceiverError err),
  void disconnect(1: string sessionId)
}
