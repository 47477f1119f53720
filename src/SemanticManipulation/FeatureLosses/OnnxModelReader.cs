using System.Runtime.InteropServices;

namespace SemanticManipulation.FeatureLosses;

/// <summary>
/// Reads an ONNX model file (protobuf <c>ModelProto</c>) into an <see cref="OnnxGraph"/>. Only what importing
/// float32 convolutional networks needs is decoded: nodes, their attributes, float initializers held in the file.
/// </summary>
internal static class OnnxModelReader
{
    // Field numbers from onnx.proto (ModelProto, GraphProto, NodeProto, AttributeProto, TensorProto, ValueInfoProto).
    private const int ModelProducerName = 2;
    private const int ModelGraph = 7;
    private const int GraphNode = 1;
    private const int GraphInitializer = 5;
    private const int GraphInput = 11;
    private const int GraphOutput = 12;
    private const int NodeInput = 1;
    private const int NodeOutput = 2;
    private const int NodeOpType = 4;
    private const int NodeAttribute = 5;
    private const int AttributeName = 1;
    private const int AttributeFloat = 2;
    private const int AttributeInt = 3;
    private const int AttributeString = 4;
    private const int AttributeFloats = 7;
    private const int AttributeInts = 8;
    private const int TensorDims = 1;
    private const int TensorDataType = 2;
    private const int TensorFloatData = 4;
    private const int TensorName = 8;
    private const int TensorRawData = 9;
    private const int TensorExternalData = 13;
    private const int ValueInfoName = 1;
    private const int OnnxFloat = 1;

    /// <summary>Reads <paramref name="path"/>.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a readable ONNX model of float32 weights; the message names it.</exception>
    public static OnnxGraph Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"ONNX model '{path}' does not exist.", path);
        }

        try
        {
            return Parse(File.ReadAllBytes(path));
        }
        catch (Exception ex) when (ex is EndOfStreamException or InvalidDataException or OverflowException)
        {
            throw new InvalidDataException($"{Path.GetFileName(path)} is not a readable ONNX model: {ex.Message}", ex);
        }
    }

    public static OnnxGraph Parse(ReadOnlySpan<byte> model)
    {
        var reader = new ProtobufReader(model);
        var producer = "";
        OnnxGraph? graph = null;
        while (reader.TryReadTag())
        {
            switch (reader.FieldNumber)
            {
                case ModelProducerName when reader.WireType == ProtobufWireType.LengthDelimited:
                    producer = reader.ReadString();
                    break;
                case ModelGraph when reader.WireType == ProtobufWireType.LengthDelimited:
                    graph = ParseGraph(reader.ReadBytes(), producer);
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }

        return graph ?? throw new InvalidDataException("The model has no graph.");
    }

    private static OnnxGraph ParseGraph(ReadOnlySpan<byte> data, string producer)
    {
        var reader = new ProtobufReader(data);
        var nodes = new List<OnnxNode>();
        var initializers = new Dictionary<string, OnnxInitializer>(StringComparer.Ordinal);
        var inputs = new List<string>();
        var outputs = new List<string>();
        while (reader.TryReadTag())
        {
            switch (reader.FieldNumber)
            {
                case GraphNode:
                    nodes.Add(ParseNode(reader.ReadBytes()));
                    break;
                case GraphInitializer:
                    var initializer = ParseTensor(reader.ReadBytes());
                    initializers[initializer.Name] = initializer;
                    break;
                case GraphInput:
                    inputs.Add(ParseValueInfoName(reader.ReadBytes()));
                    break;
                case GraphOutput:
                    outputs.Add(ParseValueInfoName(reader.ReadBytes()));
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }

        // Older exporters list the weights among the graph inputs too; the data inputs are the rest.
        return new OnnxGraph(producer, nodes, initializers, inputs.Where(i => !initializers.ContainsKey(i)).ToArray(), outputs);
    }

    private static OnnxNode ParseNode(ReadOnlySpan<byte> data)
    {
        var reader = new ProtobufReader(data);
        var inputs = new List<string>();
        var outputs = new List<string>();
        var opType = "";
        var attributes = new Dictionary<string, OnnxAttribute>(StringComparer.Ordinal);
        while (reader.TryReadTag())
        {
            switch (reader.FieldNumber)
            {
                case NodeInput:
                    inputs.Add(reader.ReadString());
                    break;
                case NodeOutput:
                    outputs.Add(reader.ReadString());
                    break;
                case NodeOpType:
                    opType = reader.ReadString();
                    break;
                case NodeAttribute:
                    var (name, attribute) = ParseAttribute(reader.ReadBytes());
                    attributes[name] = attribute;
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }

        return new OnnxNode(opType, inputs, outputs, attributes);
    }

    private static (string Name, OnnxAttribute Attribute) ParseAttribute(ReadOnlySpan<byte> data)
    {
        var reader = new ProtobufReader(data);
        var name = "";
        float? single = null;
        long? integer = null;
        string? text = null;
        var floats = new List<float>();
        var ints = new List<long>();
        while (reader.TryReadTag())
        {
            switch (reader.FieldNumber)
            {
                case AttributeName:
                    name = reader.ReadString();
                    break;
                case AttributeFloat when reader.WireType == ProtobufWireType.Fixed32:
                    single = reader.ReadFloat();
                    break;
                case AttributeInt when reader.WireType == ProtobufWireType.Varint:
                    integer = reader.ReadInt64();
                    break;
                case AttributeString when reader.WireType == ProtobufWireType.LengthDelimited:
                    text = reader.ReadString();
                    break;
                case AttributeFloats:
                    reader.ReadFloats(floats);
                    break;
                case AttributeInts:
                    reader.ReadInt64s(ints);
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }

        return (name, new OnnxAttribute(single, integer, text, floats, ints));
    }

    private static OnnxInitializer ParseTensor(ReadOnlySpan<byte> data)
    {
        var reader = new ProtobufReader(data);
        var dims = new List<long>();
        var dataType = 0L;
        var name = "";
        var floatData = new List<float>();
        float[]? raw = null;
        var external = false;
        while (reader.TryReadTag())
        {
            switch (reader.FieldNumber)
            {
                case TensorDims:
                    reader.ReadInt64s(dims);
                    break;
                case TensorDataType:
                    dataType = reader.ReadInt64();
                    break;
                case TensorFloatData:
                    reader.ReadFloats(floatData);
                    break;
                case TensorName:
                    name = reader.ReadString();
                    break;
                case TensorRawData:
                    raw = ToFloats(reader.ReadBytes());
                    break;
                case TensorExternalData:
                    external = true;
                    reader.Skip();
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }

        if (dataType != OnnxFloat)
        {
            throw new InvalidDataException($"Initializer '{name}' has ONNX data type {dataType}; only float32 (1) is supported.");
        }

        if (external)
        {
            throw new InvalidDataException($"Initializer '{name}' keeps its data in an external file, which is not supported.");
        }

        var values = raw ?? floatData.ToArray();
        var count = dims.Aggregate(1L, (a, b) => a * b);
        if (values.Length != count)
        {
            throw new InvalidDataException(
                $"Initializer '{name}' of shape [{string.Join(", ", dims)}] holds {values.Length} values, expected {count}.");
        }

        return new OnnxInitializer(name, dims, values);
    }

    private static float[] ToFloats(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length % 4 != 0)
        {
            throw new InvalidDataException($"Raw float data of {bytes.Length} bytes is not a whole number of float32 values.");
        }

        var values = MemoryMarshal.Cast<byte, float>(bytes).ToArray();
        if (!BitConverter.IsLittleEndian)
        {
            // ONNX stores raw data little-endian.
            var ints = MemoryMarshal.Cast<float, int>(values.AsSpan());
            for (var i = 0; i < ints.Length; i++)
            {
                ints[i] = System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(ints[i]);
            }
        }

        return values;
    }

    private static string ParseValueInfoName(ReadOnlySpan<byte> data)
    {
        var reader = new ProtobufReader(data);
        var name = "";
        while (reader.TryReadTag())
        {
            if (reader.FieldNumber == ValueInfoName && reader.WireType == ProtobufWireType.LengthDelimited)
            {
                name = reader.ReadString();
            }
            else
            {
                reader.Skip();
            }
        }

        return name;
    }
}
