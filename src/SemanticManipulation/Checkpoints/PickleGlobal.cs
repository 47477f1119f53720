namespace SemanticManipulation.Checkpoints;

/// <summary>What a pickled global (<c>module.name</c>) means to this reader.</summary>
internal enum PickleGlobalKind
{
    /// <summary>Not on the allow-list: the pickle is refused as soon as it names it.</summary>
    Refused,

    /// <summary>Allowed (a weights file may hold it, e.g. a dtype or a device) but not needed: calls to it yield an
    /// opaque <see cref="PickleObject"/>.</summary>
    Inert,
    OrderedDict,
    RebuildTensorV2,
    RebuildTensor,
    RebuildParameter,
    RebuildParameterWithState,
    RebuildFromTypeV2,
    StorageType,
    TorchSize,
    Set,
    CodecsEncode,
    LoadFromBytes,
}

/// <summary>
/// A global referenced by a pickle (GLOBAL / STACK_GLOBAL). Resolution is a table lookup against the allow-list of
/// PyTorch's <c>torch.load(weights_only=True)</c>; nothing is ever imported or executed.
/// </summary>
internal sealed class PickleGlobal
{
    // The element-type prefixes of PyTorch's legacy storage and tensor classes (torch.FloatStorage, torch.cuda.LongTensor).
    private static readonly HashSet<string> TypePrefixes = new(StringComparer.Ordinal)
    {
        "Double", "Float", "Half", "BFloat16", "Long", "Int", "Short", "Char", "Byte", "Bool", "ComplexDouble", "ComplexFloat",
        "QUInt8", "QInt8", "QInt32", "QUInt4x2", "QUInt2x4",
    };

    // str(dtype) for every dtype, minus the "torch." prefix: a dtype is pickled as the global torch.<name>.
    private static readonly HashSet<string> DtypeNames = new(StringComparer.Ordinal)
    {
        "float32", "float64", "float16", "bfloat16", "complex32", "complex64", "complex128", "uint8", "int8", "int16",
        "int32", "int64", "bool", "qint8", "quint8", "qint32", "quint4x2", "quint2x4", "bits1x8", "bits2x4", "bits4x2",
        "bits8", "bits16", "float8_e5m2", "float8_e4m3fn", "float8_e5m2fnuz", "float8_e4m3fnuz", "float8_e8m0fnu",
        "float4_e2m1fn_x2", "uint16", "uint32", "uint64", "uint1", "uint2", "uint3", "uint4", "uint5", "uint6", "uint7",
        "int1", "int2", "int3", "int4", "int5", "int6", "int7",
    };

    // Allowed by weights_only; they rebuild tensor kinds this reader does not support, which the flattener reports by name.
    private static readonly HashSet<string> OtherRebuildFunctions = new(StringComparer.Ordinal)
    {
        "_rebuild_qtensor", "_rebuild_tensor_v3", "_rebuild_sparse_tensor", "_rebuild_meta_tensor_no_storage",
        "_rebuild_wrapper_subclass", "_rebuild_device_tensor_from_numpy", "_rebuild_device_tensor_from_cpu_tensor",
    };

    private static readonly HashSet<string> QuantizationSchemes = new(StringComparer.Ordinal)
    {
        "per_tensor_affine", "per_tensor_symmetric", "per_channel_affine", "per_channel_symmetric", "per_channel_affine_float_qparams",
    };

    private PickleGlobal(string module, string name, PickleGlobalKind kind, TensorElementType? storageType)
    {
        Module = module;
        Name = name;
        Kind = kind;
        StorageType = storageType;
    }

    public string Module { get; }

    public string Name { get; }

    public PickleGlobalKind Kind { get; }

    /// <summary>The element type, when this is a typed-storage class such as <c>torch.FloatStorage</c>.</summary>
    public TensorElementType? StorageType { get; }

    public static PickleGlobal Resolve(string module, string name)
    {
        // Protocol-2 pickles written by Python 2 spell builtins the Python 2 way; the pickle module maps it back.
        var canonicalModule = module == "__builtin__" ? "builtins" : module;
        var kind = (canonicalModule, name) switch
        {
            ("collections", "OrderedDict") => PickleGlobalKind.OrderedDict,
            ("torch._utils", "_rebuild_tensor_v2") => PickleGlobalKind.RebuildTensorV2,
            ("torch._utils", "_rebuild_tensor") => PickleGlobalKind.RebuildTensor,
            ("torch._utils", "_rebuild_parameter") => PickleGlobalKind.RebuildParameter,
            ("torch.nn.parameter", "Parameter") => PickleGlobalKind.RebuildParameter,
            ("torch._utils", "_rebuild_parameter_with_state") => PickleGlobalKind.RebuildParameterWithState,
            ("torch._tensor", "_rebuild_from_type_v2") => PickleGlobalKind.RebuildFromTypeV2,
            ("torch", "Size") => PickleGlobalKind.TorchSize,
            ("builtins", "set") => PickleGlobalKind.Set,
            ("_codecs", "encode") => PickleGlobalKind.CodecsEncode,
            ("torch.storage", "_load_from_bytes") => PickleGlobalKind.LoadFromBytes,
            _ => IsInert(canonicalModule, name) ? PickleGlobalKind.Inert : PickleGlobalKind.Refused,
        };

        // Storages saved from the GPU by very old PyTorch name the CUDA class; the bytes are the same.
        TensorElementType? storageType = null;
        if (kind == PickleGlobalKind.Inert && module is "torch" or "torch.cuda")
        {
            storageType = TensorElementType.FromStorageName(name);
            if (storageType is not null)
            {
                kind = PickleGlobalKind.StorageType;
            }
        }

        return new PickleGlobal(module, name, kind, storageType);
    }

    /// <summary>The rest of weights_only's allow-list: values a weights file may hold that no tensor depends on.</summary>
    private static bool IsInert(string module, string name) => (module, name) switch
    {
        ("collections", "Counter") or ("torch", "Tensor") or ("torch", "device") or ("torch.serialization", "_get_layout")
            or ("builtins", "bytearray") or ("builtins", "complex") => true,
        ("torch.storage", "UntypedStorage" or "TypedStorage") => true,
        ("torch._utils", _) => OtherRebuildFunctions.Contains(name),
        ("torch", _) when DtypeNames.Contains(name) || QuantizationSchemes.Contains(name) => true,
        ("torch" or "torch.cuda", _) when name.EndsWith("Storage", StringComparison.Ordinal) =>
            TypePrefixes.Contains(name[..^"Storage".Length]),
        ("torch" or "torch.cuda" or "torch.sparse" or "torch.cuda.sparse", _) when name.EndsWith("Tensor", StringComparison.Ordinal) =>
            TypePrefixes.Contains(name[..^"Tensor".Length]),
        _ => false,
    };

    public override string ToString() => $"{Module}.{Name}";
}
