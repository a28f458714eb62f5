import Flows

/// The connection table takes scripted segments as it takes decoded ones (its own
/// `add(_:timestamp:wireLength:)`), with no capture file in between.
extension FlowTable: SegmentSink {}
