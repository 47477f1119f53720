namespace SemanticManipulation.FeatureLosses;

/// <summary>How a protobuf field's value is encoded.</summary>
internal enum ProtobufWireType
{
    Varint = 0,
    Fixed64 = 1,
    LengthDelimited = 2,
    Fixed32 = 5,
}
