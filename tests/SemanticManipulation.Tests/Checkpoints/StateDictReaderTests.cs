using SemanticManipulation.Checkpoints;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace SemanticManipulation.Tests.Checkpoints;

/// <summary>Every checkpoint format PyTorch users bring reads to the same tensors, honouring dtypes and strides.</summary>
public sealed class StateDictReaderTests
{
    private static readonly byte[] ExpectedBytes = [0, 40, 80, 120, 160, 200];
    private static readonly bool[] ExpectedBools = [true, false, true, false, true, false];
    private static readonly float[] ExpectedTransposed = [0, 3, 1, 4, 2, 5];
    private static readonly float[] ExpectedExpanded = [1, 1, 1, 2, 2, 2];
    private static readonly float[] ExpectedParameter = [1.5f, -2f];

    // Formats by name: CheckpointFormat is internal and xunit theory parameters must be public.
    public static TheoryData<string, string> ProGanFiles => new()
    {
        { "progan32_zip.pth", nameof(CheckpointFormat.PyTorchZip) },
        { "progan32_legacy.pth", nameof(CheckpointFormat.PyTorchLegacy) },
        { "progan32.safetensors", nameof(CheckpointFormat.SafeTensors) },
        { "progan32_features_wrapped.pth", nameof(CheckpointFormat.PyTorchZip) },
        { "progan32_features_wrapped_legacy.pth", nameof(CheckpointFormat.PyTorchLegacy) },
    };

    public static TheoryData<string> DtypeFiles => new() { "dtypes_zip.pth", "dtypes_legacy.pth", "dtypes_protocol4.pth" };

    [Theory]
    [MemberData(nameof(ProGanFiles))]
    public void Format_is_detected_from_content(string file, string format)
    {
        using var state = StateDictReader.Read(Fixture.ProGan(file));

        Assert.Equal(format, state.Format.ToString());
        Assert.Equal(Fixture.ProGan(file), state.FilePath);
        Assert.NotEmpty(state.Tensors);
    }

    [Fact]
    public void Safetensors_metadata_is_exposed_and_pickles_have_none()
    {
        using var safe = StateDictReader.Read(Fixture.ProGan("progan32.safetensors"));
        using var zip = StateDictReader.Read(Fixture.ProGan("progan32_zip.pth"));

        Assert.Equal("pt", safe.Metadata["format"]);
        Assert.Equal("make_progan_fixtures.py", safe.Metadata["source"]);
        Assert.Empty(zip.Metadata);
    }

    [Fact]
    public void Safetensors_metadata_alone_matches_the_full_read_and_a_bad_header_is_refused()
    {
        using var safe = StateDictReader.Read(Fixture.ProGan("progan32.safetensors"));

        Assert.Equal(safe.Metadata.OrderBy(p => p.Key), SafeTensorsReader.ReadMetadata(Fixture.ProGan("progan32.safetensors")).OrderBy(p => p.Key));
        using var temp = Fixture.TempDirectory();
        var truncated = temp.File("truncated.safetensors");
        File.WriteAllBytes(truncated, File.ReadAllBytes(Fixture.ProGan("progan32.safetensors"))[..20]);
        var error = Assert.Throws<CheckpointFormatException>(() => SafeTensorsReader.ReadMetadata(truncated));
        Assert.Contains("truncated.safetensors", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Extension_does_not_matter()
    {
        using var temp = Fixture.TempDirectory();
        var disguised = temp.File("weights.safetensors");
        File.Copy(Fixture.ProGan("progan32_zip.pth"), disguised);

        using var state = StateDictReader.Read(disguised);

        Assert.Equal(CheckpointFormat.PyTorchZip, state.Format);
    }

    [Fact]
    public void Zip_legacy_and_safetensors_hold_identical_tensors()
    {
        using var zip = StateDictReader.Read(Fixture.ProGan("progan32_zip.pth"));
        using var legacy = StateDictReader.Read(Fixture.ProGan("progan32_legacy.pth"));
        using var safe = StateDictReader.Read(Fixture.ProGan("progan32.safetensors"));

        Assert.Equal(18, zip.Tensors.Count);
        Assert.Equal(zip.Tensors.Keys, legacy.Tensors.Keys);
        Assert.Equal(zip.Tensors.Keys.Order(StringComparer.Ordinal), safe.Tensors.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, expected) in zip.Tensors)
        {
            AssertIdentical(expected, legacy.Tensors[name], name);
            AssertIdentical(expected, safe.Tensors[name], name);
        }
    }

    [Theory]
    [InlineData("progan32_zip.pth")]
    [InlineData("progan32_legacy.pth")]
    public void Non_contiguous_weight_is_read_through_its_strides(string file)
    {
        using var state = StateDictReader.Read(Fixture.ProGan(file));
        using var safe = StateDictReader.Read(Fixture.ProGan("progan32.safetensors"));

        var weight = state.Tensors["layer2.conv.weight"];

        Assert.Equal([32L, 32, 3, 3], weight.shape);
        Assert.True(weight.is_contiguous());
        AssertIdentical(safe.Tensors["layer2.conv.weight"], weight, "layer2.conv.weight");
    }

    [Theory]
    [InlineData("progan32_features_wrapped.pth")]
    [InlineData("progan32_features_wrapped_legacy.pth")]
    public void Wrapped_checkpoint_is_flattened_and_non_tensors_are_skipped(string file)
    {
        using var wrapped = StateDictReader.Read(Fixture.ProGan(file));
        using var plain = StateDictReader.Read(Fixture.ProGan("progan32_zip.pth"));
        var tensors = wrapped.Tensors;

        // 18 generator tensors under state_dict., plus three extra tensors; 'epoch' and 'note' are not tensors.
        Assert.Equal(21, tensors.Count);
        Assert.DoesNotContain("epoch", tensors.Keys);
        Assert.DoesNotContain("note", tensors.Keys);
        foreach (var (name, expected) in plain.Tensors)
        {
            var head = name.Split('.')[0];
            var rest = name[(head.Length + 1)..];
            var old = head.StartsWith("layer", StringComparison.Ordinal)
                ? $"state_dict.features.{int.Parse(head[5..], System.Globalization.CultureInfo.InvariantCulture) - 1}.{rest}"
                : $"state_dict.output.{rest}";
            AssertIdentical(expected, tensors[old], old);
        }

        Assert.Equal([3f, 4f, 5f, 6f], tensors["extra_view"].data<float>().ToArray());
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (float)i), tensors["extra_whole"].data<float>().ToArray());
        var scale = tensors["features.0.wscale.scale"];
        Assert.Empty(scale.shape);
        Assert.Equal(0.125f, scale.item<float>());
    }

    [Fact]
    public void Wrapped_zip_and_legacy_files_agree()
    {
        using var zip = StateDictReader.Read(Fixture.ProGan("progan32_features_wrapped.pth"));
        using var legacy = StateDictReader.Read(Fixture.ProGan("progan32_features_wrapped_legacy.pth"));

        Assert.Equal(zip.Tensors.Keys, legacy.Tensors.Keys);
        foreach (var (name, expected) in zip.Tensors)
        {
            AssertIdentical(expected, legacy.Tensors[name], name);
        }
    }

    [Fact]
    public void Checkpoint_without_tensors_reads_as_empty()
    {
        using var state = StateDictReader.Read(Fixture.ProGan("not_a_generator.pth"));

        Assert.Empty(state.Tensors);
    }

    [Theory]
    [MemberData(nameof(DtypeFiles))]
    public void Every_element_type_and_layout_is_read(string file)
    {
        using var state = StateDictReader.Read(Fixture.ProGan(file));
        using var scope = NewDisposeScope();
        var t = state.Tensors;

        Assert.Equal(13, t.Count);
        AssertIdentical(arange(6, ScalarType.Float32).view(2, 3), t["f32"], "f32");
        AssertIdentical(arange(6, ScalarType.Float64).view(2, 3) / 4, t["f64"], "f64");
        AssertIdentical((arange(6, ScalarType.Float32) / 2).view(3, 2).to(ScalarType.Float16), t["f16"], "f16");
        AssertIdentical((arange(6, ScalarType.Float32) * 0.5).to(ScalarType.BFloat16), t["bf16"], "bf16");
        AssertIdentical(arange(6, ScalarType.Int64) - 3, t["i64"], "i64");
        AssertIdentical(arange(6, ScalarType.Int32) * -7, t["i32"], "i32");
        AssertIdentical(tensor(ExpectedBytes), t["u8"], "u8");
        AssertIdentical(tensor(ExpectedBools), t["bool"], "bool");
        AssertIdentical(tensor(ExpectedTransposed).view(3, 2), t["transposed"], "transposed");
        AssertIdentical(tensor(ExpectedExpanded).view(2, 3), t["expanded"], "expanded");
        AssertIdentical(tensor(2.5f), t["scalar"], "scalar");
        AssertIdentical(zeros(0, 4), t["empty"], "empty");
        AssertIdentical(tensor(ExpectedParameter), t["param"], "param");
        Assert.All(t.Values, v => Assert.True(v.is_contiguous() && v.device_type == DeviceType.CPU && !v.requires_grad));
    }

    [Fact]
    public void Non_seekable_stream_reads_like_the_file()
    {
        using var fromFile = StateDictReader.Read(Fixture.ProGan("progan32_legacy.pth"));
        using var stream = new NonSeekableStream(File.OpenRead(Fixture.ProGan("progan32_legacy.pth")));

        using var fromStream = StateDictReader.Read(stream, "streamed.pth");

        Assert.Equal("streamed.pth", fromStream.FilePath);
        Assert.Equal(fromFile.Tensors.Keys, fromStream.Tensors.Keys);
        foreach (var (name, expected) in fromFile.Tensors)
        {
            AssertIdentical(expected, fromStream.Tensors[name], name);
        }
    }

    [Fact]
    public void Legacy_storage_views_are_honoured()
    {
        // Pre-1.0 files could refer to a window of a storage: elements [1, 3) of k here.
        var pickle = new PickleBuilder().Proto().Op(PickleOpcode.EmptyDict)
            .Str("v").Tensor(p => p.LegacyStorage("k", 4, ("view", 1, 2)), 0, [2], [1]).Op(PickleOpcode.SetItem)
            .Str("w").Tensor(p => p.LegacyStorage("k", 4), 0, [4], [1]).Op(PickleOpcode.SetItem)
            .Stop().ToArray();
        using var stream = new MemoryStream(CheckpointBytes.Legacy(pickle, ("k", [10f, 11f, 12f, 13f])));

        using var state = StateDictReader.Read(stream, "views.pth");

        Assert.Equal([11f, 12f], state.Tensors["v"].data<float>().ToArray());
        Assert.Equal([10f, 11f, 12f, 13f], state.Tensors["w"].data<float>().ToArray());
    }

    [Fact]
    public void Values_on_the_allow_list_that_are_not_tensors_are_skipped()
    {
        // {'device': torch.device('cpu'), 'dtype': torch.float32, 'counts': Counter({'a': 1}), 'tags': {'x'},
        //  'blob': b'ab', 'model': {'w': tensor}}: what torch.load(weights_only=True) accepts besides tensors.
        var pickle = new PickleBuilder().Proto().Op(PickleOpcode.EmptyDict)
            .Str("device").Global("torch", "device").Str("cpu").Op(PickleOpcode.Tuple1).Op(PickleOpcode.Reduce).Op(PickleOpcode.SetItem)
            .Str("dtype").Global("torch", "float32").Op(PickleOpcode.SetItem)
            .Str("counts").Global("collections", "Counter").Op(PickleOpcode.EmptyDict).Str("a").Int(1).Op(PickleOpcode.SetItem)
            .Op(PickleOpcode.Tuple1).Op(PickleOpcode.Reduce).Op(PickleOpcode.SetItem)
            .Str("tags").Global("__builtin__", "set").Mark().Str("x").Op(PickleOpcode.List).Op(PickleOpcode.Tuple1)
            .Op(PickleOpcode.Reduce).Op(PickleOpcode.SetItem)
            .Str("blob").Global("_codecs", "encode").Str("ab").Str("latin1").Op(PickleOpcode.Tuple2).Op(PickleOpcode.Reduce)
            .Op(PickleOpcode.SetItem)
            .Str("model").Op(PickleOpcode.EmptyDict).Str("w").Tensor(p => p.ZipStorage("0", 2), 0, [2], [1])
            .Op(PickleOpcode.SetItem).Op(PickleOpcode.SetItem)
            .Stop().ToArray();
        using var stream = new MemoryStream(CheckpointBytes.Zip(("archive/data.pkl", pickle), ("archive/data/0", CheckpointBytes.Floats(1f, 2f))));

        using var state = StateDictReader.Read(stream, "custom.pth");

        Assert.Equal(["model.w"], state.Tensors.Keys);
        Assert.Equal([1f, 2f], state.Tensors["model.w"].data<float>().ToArray());
    }

    [Fact]
    public void Dispose_frees_every_tensor()
    {
        var state = StateDictReader.Read(Fixture.ProGan("progan32_zip.pth"));
        var tensors = state.Tensors.Values.ToList();

        state.Dispose();
        state.Dispose();

        Assert.All(tensors, t => Assert.True(t.IsInvalid));
        Assert.Throws<ObjectDisposedException>(() => state.Tensors);
    }

    private static void AssertIdentical(Tensor expected, Tensor actual, string name)
    {
        Assert.True(expected.dtype == actual.dtype, $"{name}: dtype {actual.dtype}, expected {expected.dtype}");
        Assert.True(expected.shape.SequenceEqual(actual.shape),
            $"{name}: shape [{string.Join(", ", actual.shape)}], expected [{string.Join(", ", expected.shape)}]");
        using var same = expected.eq(actual).all();
        Assert.True(same.item<bool>(), $"{name}: values differ");
    }
}
