using SemanticManipulation.Checkpoints;
using static TorchSharp.torch;

namespace SemanticManipulation.Tests.Checkpoints.Fuzzing;

/// <summary>
/// The valid files the fuzzer mutates, per format: small ones written by the SDK's own writers or built opcode by
/// opcode, and the test fixtures PyTorch wrote. Built once per process, always with the same bytes, so that a case
/// index replays exactly.
/// </summary>
internal static class FuzzSamples
{
    private static readonly Lazy<Dictionary<FuzzFormat, IReadOnlyList<FuzzSample>>> All = new(Build);

    public static IReadOnlyList<FuzzSample> For(FuzzFormat format) => All.Value[format];

    private static Dictionary<FuzzFormat, IReadOnlyList<FuzzSample>> Build()
    {
        using var temp = new TemporaryDirectory();
        using var scope = NewDisposeScope();
        return new()
        {
            [FuzzFormat.SafeTensors] =
            [
                new("SDK-written dtypes", FuzzFormat.SafeTensors, FuzzLoader.StateDict, SafeTensors(temp, DtypeTensors(), padTo0x80: false)),
                new("SDK-written header of length 0x..80", FuzzFormat.SafeTensors, FuzzLoader.StateDict, SafeTensors(temp, DtypeTensors(), padTo0x80: true)),
                Fixture("progan32.safetensors", FuzzFormat.SafeTensors, FuzzLoader.Generator),
            ],
            [FuzzFormat.PyTorchZip] =
            [
                Fixture("dtypes_zip.pth", FuzzFormat.PyTorchZip, FuzzLoader.StateDict),
                Fixture("dtypes_protocol4.pth", FuzzFormat.PyTorchZip, FuzzLoader.StateDict),
                Fixture("not_a_generator.pth", FuzzFormat.PyTorchZip, FuzzLoader.StateDict),
                Fixture("progan32_zip.pth", FuzzFormat.PyTorchZip, FuzzLoader.Generator),
                new("built zip with views", FuzzFormat.PyTorchZip, FuzzLoader.StateDict, ZipWithViews()),
            ],
            [FuzzFormat.PyTorchLegacy] =
            [
                Fixture("dtypes_legacy.pth", FuzzFormat.PyTorchLegacy, FuzzLoader.StateDict),
                Fixture("progan32_features_wrapped_legacy.pth", FuzzFormat.PyTorchLegacy, FuzzLoader.Generator),
                new("built protocol-4 legacy with views", FuzzFormat.PyTorchLegacy, FuzzLoader.StateDict, LegacyProtocol4()),
            ],
            [FuzzFormat.Npy] =
            [
                .. DtypeTensors().Where(t => t.Value.dtype != ScalarType.BFloat16)
                    .Select(t => new FuzzSample($"SDK-written {t.Key}.npy", FuzzFormat.Npy, FuzzLoader.Npy, Npy(temp, t.Value))),
                Fixture("latent0.npy", FuzzFormat.Npy, FuzzLoader.Npy),
            ],
        };
    }

    private static readonly long[] Int64Values = [-3, 5];
    private static readonly sbyte[] Int8Values = [-1, 2];
    private static readonly bool[] BoolValues = [true, false, true];

    private static Dictionary<string, Tensor> DtypeTensors() => new(StringComparer.Ordinal)
    {
        ["f32"] = (arange(6, ScalarType.Float32) / 3).view(2, 3),
        ["f64"] = arange(3, ScalarType.Float64) - 1.5,
        ["f16"] = arange(4, ScalarType.Float32).view(2, 2).to_type(ScalarType.Float16),
        ["bf16"] = arange(4, ScalarType.Float32).to_type(ScalarType.BFloat16),
        ["i64"] = tensor(Int64Values),
        ["i32"] = tensor(7),
        ["i16"] = arange(3, ScalarType.Int16),
        ["i8"] = tensor(Int8Values),
        ["u8"] = arange(5, ScalarType.Byte),
        ["bool"] = tensor(BoolValues),
        ["empty"] = zeros(0, 4),
    };

    private static FuzzSample Fixture(string file, FuzzFormat format, FuzzLoader loader) =>
        new(file, format, loader, File.ReadAllBytes(SemanticManipulation.Tests.Fixture.ProGan(file)));

    private static byte[] SafeTensors(TemporaryDirectory temp, Dictionary<string, Tensor> tensors, bool padTo0x80)
    {
        var path = temp.File("sample.safetensors");
        var padding = 0;
        do
        {
            SafeTensorsWriter.Write(path, tensors, new Dictionary<string, string> { ["source"] = "fuzz" + new string('.', padding++) });
        }
        while (padTo0x80 && File.ReadAllBytes(path)[0] != 0x80);

        return File.ReadAllBytes(path);
    }

    private static byte[] Npy(TemporaryDirectory temp, Tensor tensor)
    {
        var path = temp.File("sample.npy");
        NpyFile.Write(path, tensor);
        return File.ReadAllBytes(path);
    }

    /// <summary>Two tensors viewing one storage: one whole, one strided from an offset.</summary>
    private static byte[] ZipWithViews()
    {
        var pickle = new PickleBuilder().Proto().Op(PickleOpcode.EmptyDict)
            .Str("whole").Tensor(p => p.ZipStorage("0", 6), 0, [2, 3], [3, 1]).Op(PickleOpcode.SetItem)
            .Str("strided").Tensor(p => p.ZipStorage("0", 6), 1, [2], [3]).Op(PickleOpcode.SetItem)
            .Stop().ToArray();
        return CheckpointBytes.Zip(("archive/data.pkl", pickle), ("archive/byteorder", "little"u8.ToArray()),
            ("archive/data/0", CheckpointBytes.Floats(0, 1, 2, 3, 4, 5)));
    }

    /// <summary>A legacy file whose object pickle uses protocol 4 (STACK_GLOBAL and MEMOIZE), with a storage view.</summary>
    private static byte[] LegacyProtocol4()
    {
        var pickle = new PickleBuilder().Proto(4).Op(PickleOpcode.EmptyDict).Op(PickleOpcode.Memoize);
        foreach (var (name, offset, view) in new[] { ("a", 0, false), ("b", 1, true) })
        {
            pickle.Str(name).StackGlobal("torch._utils", "_rebuild_tensor_v2").Op(PickleOpcode.Memoize).Mark()
                .Mark().Str("storage").StackGlobal("torch", "FloatStorage").Op(PickleOpcode.Memoize).Str("k").Str("cpu").Int(6);
            _ = view ? pickle.Mark().Str("v").Int(2).Int(4).Op(PickleOpcode.Tuple) : pickle.Op(PickleOpcode.None);
            pickle.Op(PickleOpcode.Tuple).Op(PickleOpcode.BinPersId)
                .Int(offset).Ints(2).Ints(1).Op(PickleOpcode.NewFalse)
                .StackGlobal("collections", "OrderedDict").Op(PickleOpcode.EmptyTuple).Op(PickleOpcode.Reduce)
                .Op(PickleOpcode.Tuple).Op(PickleOpcode.Reduce).Op(PickleOpcode.SetItem);
        }

        return CheckpointBytes.Legacy(pickle.Stop().ToArray(), ("k", [10f, 11f, 12f, 13f, 14f, 15f]));
    }
}
