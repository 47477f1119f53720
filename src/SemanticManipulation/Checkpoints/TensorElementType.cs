using static TorchSharp.torch;

namespace SemanticManipulation.Checkpoints;

/// <summary>
/// One element type a checkpoint can hold, with its names in each file format. A single table keeps the three
/// readers and the .npy code agreeing on sizes, which is what every bounds check depends on.
/// </summary>
internal sealed class TensorElementType
{
    private static readonly TensorElementType[] All =
    [
        new(ScalarType.Float32, 4, "FloatStorage", "F32", "<f4"),
        new(ScalarType.Float64, 8, "DoubleStorage", "F64", "<f8"),
        new(ScalarType.Float16, 2, "HalfStorage", "F16", "<f2"),
        new(ScalarType.BFloat16, 2, "BFloat16Storage", "BF16", null),
        new(ScalarType.Int64, 8, "LongStorage", "I64", "<i8"),
        new(ScalarType.Int32, 4, "IntStorage", "I32", "<i4"),
        new(ScalarType.Int16, 2, "ShortStorage", "I16", "<i2"),
        new(ScalarType.Int8, 1, "CharStorage", "I8", "|i1"),
        new(ScalarType.Byte, 1, "ByteStorage", "U8", "|u1"),
        new(ScalarType.Bool, 1, "BoolStorage", "BOOL", "|b1"),
    ];

    private TensorElementType(ScalarType scalarType, int size, string storageName, string safeTensorsName, string? npyDescr)
    {
        ScalarType = scalarType;
        Size = size;
        StorageName = storageName;
        SafeTensorsName = safeTensorsName;
        NpyDescr = npyDescr;
    }

    /// <summary>The TorchSharp element type.</summary>
    public ScalarType ScalarType { get; }

    /// <summary>Bytes per element.</summary>
    public int Size { get; }

    /// <summary>The legacy typed-storage class PyTorch pickles, e.g. <c>FloatStorage</c> (module <c>torch</c>).</summary>
    public string StorageName { get; }

    /// <summary>The safetensors dtype string, e.g. <c>F32</c>.</summary>
    public string SafeTensorsName { get; }

    /// <summary>The little-endian NumPy descr, e.g. <c>&lt;f4</c>; null when NumPy has no such type (bfloat16).</summary>
    public string? NpyDescr { get; }

    /// <summary>Every supported safetensors dtype, for error messages.</summary>
    public static string SafeTensorsNames => string.Join(", ", All.Select(t => t.SafeTensorsName));

    /// <summary>Every supported storage class, for error messages.</summary>
    public static string StorageNames => string.Join(", ", All.Select(t => "torch." + t.StorageName));

    /// <summary>Every supported .npy descr, for error messages.</summary>
    public static string NpyDescrs => string.Join(", ", All.Where(t => t.NpyDescr is not null).Select(t => t.NpyDescr));

    public static TensorElementType? FromStorageName(string name) => All.FirstOrDefault(t => t.StorageName == name);

    public static TensorElementType? FromSafeTensorsName(string name) => All.FirstOrDefault(t => t.SafeTensorsName == name);

    public static TensorElementType? FromScalarType(ScalarType type) => All.FirstOrDefault(t => t.ScalarType == type);

    /// <summary>Finds a little-endian (or byte-order-free) descr; <c>&lt;u1</c> and <c>=f4</c> style spellings are accepted.</summary>
    public static TensorElementType? FromNpyDescr(string descr)
    {
        if (descr.Length < 2)
        {
            return null;
        }

        // One-byte types have no byte order, so NumPy may spell them with any prefix; '=' is native (little) order.
        var body = descr[1..];
        var order = descr[0];
        return All.FirstOrDefault(t => t.NpyDescr is { } own && own[1..] == body &&
            (order == own[0] || order == '=' || (t.Size == 1 && order is '<' or '>' or '|')));
    }

    public override string ToString() => ScalarType.ToString();
}
