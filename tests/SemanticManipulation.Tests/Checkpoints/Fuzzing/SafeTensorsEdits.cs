using System.Buffers.Binary;
using System.Text;
using System.Text.Json.Nodes;

namespace SemanticManipulation.Tests.Checkpoints.Fuzzing;

/// <summary>Mutations of a safetensors file's header: a length field that lies, and JSON entries whose dtype, shape
/// or data_offsets lie about the data buffer.</summary>
internal static class SafeTensorsEdits
{
    private static readonly string[] Dtypes = ["F32", "F64", "F16", "BF16", "I64", "I32", "I16", "I8", "U8", "BOOL", "F8_E4M3", "C64", "U64", "", "f32"];

    public static Mutation LengthLie(byte[] file, Random rng)
    {
        var bytes = (byte[])file.Clone();
        var original = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        var value = rng.Next(4) == 0 ? 100_000_001UL : Interesting.Unsigned(rng, original, 8, file.Length);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, value);
        return new(bytes, $"header length {original} -> {value}");
    }

    public static Mutation DtypeLie(byte[] file, Random rng) => EditEntry(file, rng, (entry, name) =>
    {
        var dtype = Dtypes[rng.Next(Dtypes.Length)];
        var was = entry["dtype"]?.ToJsonString();
        entry["dtype"] = rng.Next(10) == 0 ? JsonValue.Create(4) : JsonValue.Create(dtype);
        return $"dtype of '{name}' {was} -> {entry["dtype"]!.ToJsonString()}";
    });

    public static Mutation ShapeLie(byte[] file, Random rng) => EditEntry(file, rng, (entry, name) =>
    {
        var was = entry["shape"]?.ToJsonString();
        var shape = entry["shape"] as JsonArray ?? [];
        var dims = shape.Select(d => d!.GetValue<long>()).ToList();
        JsonNode? replacement = rng.Next(8) switch
        {
            7 => new JsonArray([JsonValue.Create("2"), .. dims.Skip(1).Select(d => JsonValue.Create(d))]),
            0 => new JsonArray([.. dims, JsonValue.Create(1L)]),
            1 => new JsonArray([.. dims.Skip(1).Select(d => JsonValue.Create(d))]),
            2 => new JsonArray([.. dims.Select(d => JsonValue.Create(d + 1))]),
            3 => new JsonArray([JsonValue.Create(1L << 62), JsonValue.Create(4L)]),
            4 => new JsonArray([JsonValue.Create(-1L), .. dims.Select(d => JsonValue.Create(d))]),
            5 => JsonValue.Create("[2, 3]"),
            _ => new JsonArray([JsonValue.Create(0L), .. dims.Select(d => JsonValue.Create(d))]),
        };
        entry["shape"] = replacement;
        return $"shape of '{name}' {was} -> {replacement?.ToJsonString()}";
    });

    public static Mutation OffsetLie(byte[] file, Random rng) => EditEntry(file, rng, (entry, name) =>
    {
        var was = entry["data_offsets"]?.ToJsonString();
        var offsets = entry["data_offsets"]!.AsArray();
        long begin = offsets[0]!.GetValue<long>(), end = offsets[1]!.GetValue<long>();
        var bufferEnd = file.Length;
        JsonNode replacement = rng.Next(10) switch
        {
            9 => new JsonArray(JsonValue.Create(begin.ToString(System.Globalization.CultureInfo.InvariantCulture)), end),
            0 => new JsonArray(end, begin),
            1 => new JsonArray(begin + 1, end + 1),
            2 => new JsonArray(begin, end + 4),
            3 => new JsonArray(-8L, end),
            4 => new JsonArray(0L, 0L),
            5 => new JsonArray(long.MaxValue - 4, long.MaxValue),
            6 => new JsonArray(begin, bufferEnd),
            7 => new JsonArray(begin + 0.5, end),
            _ => new JsonArray(begin),
        };
        entry["data_offsets"] = replacement;
        return $"data_offsets of '{name}' {was} -> {replacement.ToJsonString()}";
    });

    /// <summary>Changes the header's shape: entries lose fields, repeat, nest, or stop being objects.</summary>
    public static Mutation StructureEdit(byte[] file, Random rng)
    {
        var (header, data) = Split(file);
        var text = Encoding.UTF8.GetString(header).TrimEnd();
        var root = JsonNode.Parse(text)!.AsObject();
        var names = root.Where(p => p.Key != "__metadata__").Select(p => p.Key).ToList();
        var name = names[rng.Next(names.Count)];
        string edited, detail;
        switch (rng.Next(7))
        {
            case 0:
                var entry = root[name]!.AsObject();
                var field = new[] { "dtype", "shape", "data_offsets" }[rng.Next(3)];
                entry.Remove(field);
                (edited, detail) = (root.ToJsonString(), $"removed {field} of '{name}'");
                break;
            case 1:
                // JSON allows a key twice; safetensors does not.
                var first = root[name]!.ToJsonString();
                (edited, detail) = ("{" + $"\"{name}\":{first}," + text.TrimStart('{'), $"repeated '{name}'");
                break;
            case 2:
                root["__metadata__"] = new JsonObject { ["step"] = 3, ["nested"] = new JsonObject { ["a"] = "b" } };
                (edited, detail) = (root.ToJsonString(), "non-string metadata");
                break;
            case 3:
                root[name] = new JsonArray(1, 2, 3);
                (edited, detail) = (root.ToJsonString(), $"'{name}' is an array");
                break;
            case 4:
                (edited, detail) = (new string('[', 40) + new string(']', 40), "deeply nested array instead of an object");
                break;
            case 5:
                (edited, detail) = (text.Replace($"\"{name}\"", "\"\\ud800\"", StringComparison.Ordinal), $"'{name}' renamed to a lone surrogate");
                break;
            default:
                root["__metadata__"] = "not a map";
                (edited, detail) = (root.ToJsonString(), "metadata is a string");
                break;
        }

        return new(Compose(Encoding.UTF8.GetBytes(edited), data), detail);
    }

    private static Mutation EditEntry(byte[] file, Random rng, Func<JsonObject, string, string> edit)
    {
        var (header, data) = Split(file);
        var root = JsonNode.Parse(Encoding.UTF8.GetString(header))!.AsObject();
        var names = root.Where(p => p.Key != "__metadata__").Select(p => p.Key).ToList();
        var name = names[rng.Next(names.Count)];
        var detail = edit(root[name]!.AsObject(), name);
        return new(Compose(Encoding.UTF8.GetBytes(root.ToJsonString()), data), detail);
    }

    private static (byte[] Header, byte[] Data) Split(byte[] file)
    {
        var length = (int)BinaryPrimitives.ReadUInt64LittleEndian(file);
        return (file[8..(8 + length)], file[(8 + length)..]);
    }

    private static byte[] Compose(byte[] header, byte[] data)
    {
        var result = new byte[8 + header.Length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(result, (ulong)header.Length);
        header.CopyTo(result, 8);
        data.CopyTo(result, 8 + header.Length);
        return result;
    }
}
