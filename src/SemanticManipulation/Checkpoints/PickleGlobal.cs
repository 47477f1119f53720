namespace SemanticManipulation.Checkpoints;

/// <summary>What a pickled global (<c>module.name</c>) means to this reader.</summary>
internal enum PickleGlobalKind
{
    /// <summary>Outside the allow-list: never resolved, calls to it yield an opaque <see cref="PickleObject"/>.</summary>
    Unsupported,
    OrderedDict,
    RebuildTensorV2,
    RebuildTensor,
    RebuildParameter,
    RebuildParameterWithState,
    RebuildFromTypeV2,
    StorageType,
    TorchSize,
    Set,
    FrozenSet,
    LoadFromBytes,
}

/// <summary>
/// A global referenced by a pickle (GLOBAL / STACK_GLOBAL). Resolution is a table lookup against an allow-list;
/// nothing is ever imported or executed.
/// </summary>
internal sealed class PickleGlobal
{
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
        var kind = (module, name) switch
        {
            ("collections", "OrderedDict") => PickleGlobalKind.OrderedDict,
            ("torch._utils", "_rebuild_tensor_v2") => PickleGlobalKind.RebuildTensorV2,
            ("torch._utils", "_rebuild_tensor") => PickleGlobalKind.RebuildTensor,
            ("torch._utils", "_rebuild_parameter") => PickleGlobalKind.RebuildParameter,
            ("torch._utils", "_rebuild_parameter_with_state") => PickleGlobalKind.RebuildParameterWithState,
            ("torch._tensor", "_rebuild_from_type_v2") => PickleGlobalKind.RebuildFromTypeV2,
            ("torch", "Size") => PickleGlobalKind.TorchSize,
            // Protocol-2 pickles written by Python 3 spell builtins the Python 2 way.
            ("builtins" or "__builtin__", "set") => PickleGlobalKind.Set,
            ("builtins" or "__builtin__", "frozenset") => PickleGlobalKind.FrozenSet,
            ("torch.storage", "_load_from_bytes") => PickleGlobalKind.LoadFromBytes,
            _ => PickleGlobalKind.Unsupported,
        };

        // Storages saved from the GPU by very old PyTorch name the CUDA class; the bytes are the same.
        TensorElementType? storageType = null;
        if (kind == PickleGlobalKind.Unsupported && module is "torch" or "torch.cuda")
        {
            storageType = TensorElementType.FromStorageName(name);
            if (storageType is not null)
            {
                kind = PickleGlobalKind.StorageType;
            }
        }

        return new PickleGlobal(module, name, kind, storageType);
    }

    public override string ToString() => $"{Module}.{Name}";
}
