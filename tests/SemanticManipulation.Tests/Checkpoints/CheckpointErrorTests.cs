using System.Text;
using SemanticManipulation.Checkpoints;
using Xunit;

namespace SemanticManipulation.Tests.Checkpoints;

/// <summary>
/// Every malformed input ends in a <see cref="CheckpointFormatException"/> that names the file and the problem —
/// never an IndexOutOfRange, a NullReference, or a crash in native code.
/// </summary>
public sealed class CheckpointErrorTests
{
    public static TheoryData<string, double> TruncatedFiles
    {
        get
        {
            var data = new TheoryData<string, double>();
            foreach (var file in new[] { "progan32_zip.pth", "progan32_legacy.pth", "progan32.safetensors", "progan32_features_wrapped_legacy.pth" })
            {
                foreach (var fraction in new[] { 0.001, 0.01, 0.1, 0.5, 0.99 })
                {
                    data.Add(file, fraction);
                }
            }

            return data;
        }
    }

    public static TheoryData<string> SmallCheckpoints => new() { "dtypes_zip.pth", "dtypes_legacy.pth", "dtypes_protocol4.pth" };

    [Fact]
    public void Missing_file_is_reported_with_its_path()
    {
        using var temp = Fixture.TempDirectory();
        var path = temp.File("nope.pth");

        var error = Assert.Throws<FileNotFoundException>(() => StateDictReader.Read(path));

        Assert.Equal(path, error.FileName);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Empty_file_names_the_supported_formats()
    {
        using var temp = Fixture.TempDirectory();
        var path = temp.File("empty.pth");
        File.WriteAllBytes(path, []);

        var error = Assert.Throws<CheckpointFormatException>(() => StateDictReader.Read(path));

        Assert.Equal(path, error.FilePath);
        Assert.StartsWith("empty.pth is empty", error.Message, StringComparison.Ordinal);
        Assert.Contains("safetensors", error.Message, StringComparison.Ordinal);
        Assert.Contains("torch.save", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1, null)]
    [InlineData(2, null)]
    [InlineData(3, (byte)0x80)]
    [InlineData(4, (byte)'P')]
    public void Random_bytes_are_rejected(int seed, byte? first)
    {
        var bytes = new byte[4096];
        new Random(seed).NextBytes(bytes);
        if (first is { } b)
        {
            bytes[0] = b;
        }

        if (first == (byte)'P')
        {
            "PK\x03\x04"u8.CopyTo(bytes);
        }

        var error = Read(bytes, "random.bin");

        Assert.StartsWith("random.bin ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_content_lists_the_supported_formats()
    {
        var error = Read(Encoding.ASCII.GetBytes("this is a text file, not a checkpoint"), "notes.txt");

        Assert.Contains("not a checkpoint in a supported format", error.Message, StringComparison.Ordinal);
        Assert.Contains("safetensors", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(TruncatedFiles))]
    public void Truncated_checkpoint_says_it_is_truncated(string file, double fraction)
    {
        using var temp = Fixture.TempDirectory();
        var bytes = File.ReadAllBytes(Fixture.ProGan(file));
        var path = temp.File("cut_" + file);
        File.WriteAllBytes(path, bytes[..Math.Max(9, (int)(bytes.Length * fraction))]);

        var error = Assert.Throws<CheckpointFormatException>(() => StateDictReader.Read(path));

        Assert.Equal(path, error.FilePath);
        Assert.StartsWith("cut_" + file + " ", error.Message, StringComparison.Ordinal);
        Assert.Contains("truncated", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(SmallCheckpoints))]
    public void Every_prefix_of_a_checkpoint_is_rejected_cleanly(string file)
    {
        var bytes = File.ReadAllBytes(Fixture.ProGan(file));
        for (var length = 1; length < bytes.Length; length++)
        {
            var error = Read(bytes[..length], file);
            Assert.StartsWith(file + " ", error.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(SmallCheckpoints))]
    public void Corrupted_bytes_never_escape_as_anything_but_a_format_error(string file)
    {
        var original = File.ReadAllBytes(Fixture.ProGan(file));
        var random = new Random(20190728);
        for (var i = 0; i < 400; i++)
        {
            var bytes = (byte[])original.Clone();
            for (var flips = random.Next(1, 4); flips > 0; flips--)
            {
                bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
            }

            try
            {
                using var stream = new MemoryStream(bytes);
                StateDictReader.Read(stream, file).Dispose();
            }
            catch (CheckpointFormatException)
            {
            }
        }
    }

    [Fact]
    public void Zip_without_data_pkl_is_not_a_checkpoint()
    {
        var bytes = CheckpointBytes.Zip(("archive/version", "3\n"u8.ToArray()), ("archive/data/0", new byte[16]));

        var error = Read(bytes, "other.zip");

        Assert.Contains("no 'data.pkl' entry", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Zip_storage_shorter_than_its_tensor_names_both()
    {
        var entries = CheckpointBytes.ZipEntries(Fixture.ProGan("progan32_zip.pth"));
        var index = entries.FindIndex(e => e.Name.EndsWith("/data/0", StringComparison.Ordinal));
        entries[index] = (entries[index].Name, entries[index].Data[..100]);

        var error = Read(CheckpointBytes.Zip([.. entries]), "model.pth");

        Assert.Equal(
            "model.pth is truncated: storage 'progan32_zip/data/0' holds 100 bytes but tensor 'layer1.conv.weight' " +
            "[32, 32, 4, 4] needs 65536.", error.Message);
    }

    [Fact]
    public void Zip_missing_a_storage_entry_names_it()
    {
        var entries = CheckpointBytes.ZipEntries(Fixture.ProGan("progan32_zip.pth"));
        entries.RemoveAll(e => e.Name.EndsWith("/data/1", StringComparison.Ordinal));

        var error = Read(CheckpointBytes.Zip([.. entries]), "model.pth");

        Assert.Contains("storage 'progan32_zip/data/1'", error.Message, StringComparison.Ordinal);
        Assert.Contains("missing", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Safetensors_header_longer_than_the_file()
    {
        var bytes = CheckpointBytes.SafeTensors("{}", new byte[8], headerLength: 1_000_000);

        var error = Read(bytes, "big.safetensors");

        Assert.Contains("header length field says 1000000 bytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Safetensors_data_offsets_beyond_the_buffer()
    {
        var bytes = CheckpointBytes.SafeTensors(
            """{"w":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}""", CheckpointBytes.Floats(1f, 2f));

        var error = Read(bytes, "short.safetensors");

        Assert.Contains("is truncated: tensor 'w' has data_offsets [0, 16] beyond the data buffer, which holds 8 bytes",
            error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"w":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}""", "needs 12 bytes")]
    [InlineData("""{"w":{"dtype":"F8_E4M3","shape":[8],"data_offsets":[0,8]}}""", "dtype 'F8_E4M3', which is not supported")]
    [InlineData("""{"w":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}}""", "malformed shape")]
    [InlineData("""{"w":{"dtype":"F32","shape":[2],"data_offsets":[8,0]}}""", "malformed shape or data_offsets")]
    [InlineData("""{"w":{"dtype":"F32","shape":[2]}}""", "lacks dtype, shape or data_offsets")]
    [InlineData("""{"w":{"dtype":"F32","shape":[4294967296,4294967296],"data_offsets":[0,8]}}""", "impossibly large")]
    [InlineData("""{"w": [1, 2""", "not valid JSON")]
    [InlineData("""{"w": 1}""", "lacks dtype, shape or data_offsets")]
    [InlineData("""{"w":{"dtype":"F32","shape":["2"],"data_offsets":[0,8]}}""", "malformed shape")]
    [InlineData("""{"w":{"dtype":"F32","shape":[2],"data_offsets":["0",8]}}""", "malformed shape or data_offsets")]
    [InlineData("""{"\ud800":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}""", "holds a string that is not valid Unicode")]
    [InlineData("""{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"__metadata__":{"k":"\udc00"}}""", "not valid Unicode")]
    public void Safetensors_header_problems_are_named(string header, string expected)
    {
        var error = Read(CheckpointBytes.SafeTensors(header, new byte[8]), "bad.safetensors");

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Legacy_file_with_a_wrong_magic_number()
    {
        var bytes = File.ReadAllBytes(Fixture.ProGan("progan32_legacy.pth"));
        bytes[5] ^= 0xff; // inside the LONG1 magic number

        var error = Read(bytes, "old.pth");

        Assert.Contains("wrong magic number", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Legacy_file_with_an_unknown_protocol_version()
    {
        var bytes = File.ReadAllBytes(Fixture.ProGan("progan32_legacy.pth"));
        bytes[19] = 0x04; // BININT2 1001 (0x03e9) -> 1257 (0x04e9)

        var error = Read(bytes, "old.pth");

        Assert.Contains("legacy serialization protocol 1257; only 1001 is supported", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_pickle_opcode_in_a_legacy_file()
    {
        var bytes = CheckpointBytes.LegacyHeader().Concat(new byte[] { 0x80, 0x02, 0xff, (byte)'.' }).ToArray();

        var error = Read(bytes, "odd.pth");

        Assert.Contains("unknown pickle opcode 0xFF", error.Message, StringComparison.Ordinal);
        Assert.Contains("the object pickle", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_pickle_opcode_in_a_zip_file()
    {
        var bytes = CheckpointBytes.Zip(("archive/data.pkl", [0x80, 0x02, (byte)'}', 0xfe, (byte)'.']));

        var error = Read(bytes, "odd.pth");

        Assert.Contains("unknown pickle opcode 0xFE", error.Message, StringComparison.Ordinal);
        Assert.Contains("archive/data.pkl", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new byte[] { 0x80, 0x02, (byte)'h', 0x07, (byte)'.' }, "memo entry 7")]
    [InlineData(new byte[] { 0x80, 0x02, (byte)'.' }, "stack underflows")]
    [InlineData(new byte[] { 0x80, 0x02, (byte)'N', (byte)'t', (byte)'.' }, "no matching MARK")]
    [InlineData(new byte[] { 0x80, 0x02, (byte)'N', (byte)'N', (byte)'s', (byte)'.' }, "stack underflows")]
    [InlineData(new byte[] { 0x80, 0x02, (byte)']', (byte)'N', (byte)'N', (byte)'s', (byte)'.' }, "applies to a list, not a dict")]
    [InlineData(new byte[] { 0x80, 0x09, (byte)'.' }, "pickle protocol 9")]
    [InlineData(new byte[] { 0x80, 0x02, (byte)'X', 0xff, 0xff, 0xff, 0x7f }, "an item claims 2147483647 bytes")]
    [InlineData(new byte[] { 0x80, 0x02, (byte)'X', 0x00, 0x10, 0x00, 0x00, (byte)'a' }, "is truncated: archive/data.pkl needs 4096 bytes")]
    [InlineData(new byte[] { 0x80, 0x02, (byte)'}' }, "before its STOP opcode")]
    [InlineData(new byte[] { 0x80, 0x02, (byte)'N', (byte)'Q', (byte)'.' }, "persistent id is None")]
    public void Malformed_pickles_are_named(byte[] pickle, string expected)
    {
        var error = Read(CheckpointBytes.Zip(("archive/data.pkl", pickle)), "bad.pth");

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(4, new[] { 2, 2 }, new[] { 2, 2 }, 0, "needs 20")]
    [InlineData(4, new[] { 4 }, new[] { 1 }, 1, "needs 20")]
    [InlineData(4, new[] { 2 }, new[] { -1 }, 0, "negative size, stride or offset")]
    [InlineData(4, new[] { 2 }, new[] { 1 }, -1, "negative size, stride or offset")]
    [InlineData(4, new[] { 2, 2 }, new[] { 1 }, 0, "2 sizes but 1 strides")]
    [InlineData(4, new[] { int.MaxValue, int.MaxValue, int.MaxValue }, new[] { int.MaxValue, int.MaxValue, int.MaxValue }, 0, "too large to address")]
    public void Tensor_views_outside_their_storage_are_refused_before_native_code(
        int numel, int[] size, int[] stride, int offset, string expected)
    {
        var pickle = new PickleBuilder().Proto().Op(PickleOpcode.EmptyDict)
            .Str("w").Tensor(p => p.LegacyStorage("k", numel), offset, size, stride).Op(PickleOpcode.SetItem)
            .Stop().ToArray();
        var bytes = CheckpointBytes.Legacy(pickle, ("k", new float[numel]));

        var error = Read(bytes, "views.pth");

        Assert.Contains("tensor 'w'", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_expanded_tensor_far_larger_than_its_storage_is_refused_before_it_is_allocated()
    {
        // Four stored floats repeated (stride 0) into 2147483647 × 4 of them: 34 GB from a file of a few hundred bytes.
        var pickle = new PickleBuilder().Proto().Op(PickleOpcode.EmptyDict)
            .Str("w").Tensor(p => p.LegacyStorage("k", 4), 0, [int.MaxValue, 4], [0, 1]).Op(PickleOpcode.SetItem)
            .Stop().ToArray();

        var error = Read(CheckpointBytes.Legacy(pickle, ("k", [1f, 2f, 3f, 4f])), "expanded.pth");

        Assert.Equal(
            "expanded.pth is corrupt: tensor 'w' [2147483647, 4] repeats the 4 elements of storage 'k' into 8589934588 " +
            "(34359738352 bytes); repeated (expanded) tensors are read up to 256 MiB, so if it is meant to be that large, " +
            "save it with .contiguous().", error.Message);
    }

    [Fact]
    public void A_storage_offset_at_the_limit_of_a_long_is_refused_before_native_code()
    {
        // _rebuild_tensor_v2(<6 bytes>, 2**63 - 1, (2,), (1,), False, OrderedDict()): with 1-byte elements the end of
        // the view wrapped around to a negative number and passed the bounds check.
        var pickle = new PickleBuilder().Proto().Op(PickleOpcode.EmptyDict)
            .Str("w").Global("torch._utils", "_rebuild_tensor_v2").Mark()
            .ZipStorage("0", 6, "ByteStorage").Op(PickleOpcode.BinPersId)
            .Op(PickleOpcode.Long1).Raw(8, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f)
            .Ints(2).Ints(1).Op(PickleOpcode.NewFalse)
            .Global("collections", "OrderedDict").Op(PickleOpcode.EmptyTuple).Op(PickleOpcode.Reduce)
            .Op(PickleOpcode.Tuple).Op(PickleOpcode.Reduce).Op(PickleOpcode.SetItem)
            .Stop().ToArray();

        var error = Read(CheckpointBytes.Zip(("archive/data.pkl", pickle), ("archive/data/0", new byte[6])), "offset.pth");

        Assert.Equal("offset.pth is corrupt: tensor 'w' [2] has a size, stride or offset too large to address.", error.Message);
    }

    [Fact]
    public void Text_quoted_from_the_file_is_escaped_to_keep_the_message_on_one_line()
    {
        var pickle = new PickleBuilder().Proto(4).StackGlobal("os\nimport sys", "system\u0001\u202e").Stop().ToArray();

        var error = Read(CheckpointBytes.Zip(("archive/data.pkl", pickle)), "odd.pth");

        Assert.StartsWith("odd.pth is refused: its pickle calls os\\nimport sys.system\\x01\\u202E, which", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Legacy_storage_data_shorter_than_declared()
    {
        var pickle = new PickleBuilder().Proto().Op(PickleOpcode.EmptyDict)
            .Str("w").Tensor(p => p.LegacyStorage("k", 4), 0, [4], [1]).Op(PickleOpcode.SetItem)
            .Stop().ToArray();
        var bytes = CheckpointBytes.Legacy(pickle, ("k", [1f, 2f, 3f, 4f]));

        var error = Read(bytes[..^3], "cut.pth");

        Assert.Contains("is truncated: storage 'k' needs 16 bytes but only 13 remain", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Legacy_storage_list_naming_an_unknown_storage()
    {
        var pickle = new PickleBuilder().Proto().Op(PickleOpcode.EmptyDict).Stop().ToArray();
        var bytes = CheckpointBytes.Legacy(pickle, ("ghost", [1f]));

        var error = Read(bytes, "ghost.pth");

        Assert.Contains("'ghost', which no tensor record describes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unsupported_storage_type_is_named()
    {
        var pickle = new PickleBuilder().Proto().Op(PickleOpcode.EmptyDict)
            .Str("w").Tensor(p => p.ZipStorage("0", 2, "ComplexFloatStorage"), 0, [2], [1]).Op(PickleOpcode.SetItem)
            .Stop().ToArray();

        var error = Read(CheckpointBytes.Zip(("archive/data.pkl", pickle), ("archive/data/0", new byte[16])), "complex.pth");

        Assert.Contains("storage type torch.ComplexFloatStorage, which is not supported", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Storage_pickled_with_load_from_bytes_is_refused()
    {
        var pickle = new PickleBuilder().Proto()
            .Global("torch.storage", "_load_from_bytes").Op(PickleOpcode.ShortBinBytes).Raw(1, 0).Op(PickleOpcode.Tuple1)
            .Op(PickleOpcode.Reduce).Stop().ToArray();

        var error = Read(CheckpointBytes.Zip(("archive/data.pkl", pickle)), "custom.pth");

        Assert.Contains("torch.storage._load_from_bytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unsupported_tensor_kind_is_named_where_a_tensor_is_needed()
    {
        var pickle = new PickleBuilder().Proto().Op(PickleOpcode.EmptyDict)
            .Str("q").Global("torch._utils", "_rebuild_qtensor").Op(PickleOpcode.EmptyTuple).Op(PickleOpcode.Reduce)
            .Op(PickleOpcode.SetItem).Stop().ToArray();

        var error = Read(CheckpointBytes.Zip(("archive/data.pkl", pickle)), "quantized.pth");

        Assert.Contains("tensor 'q' with torch._utils._rebuild_qtensor", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Stream_errors_use_the_display_name()
    {
        using var stream = new MemoryStream();

        var error = Assert.Throws<CheckpointFormatException>(() => StateDictReader.Read(stream, "upload/model.pth"));

        Assert.Equal("upload/model.pth", error.FilePath);
        Assert.StartsWith("model.pth is empty", error.Message, StringComparison.Ordinal);
    }

    private static CheckpointFormatException Read(byte[] bytes, string name)
    {
        using var stream = new MemoryStream(bytes);
        var error = Assert.Throws<CheckpointFormatException>(() => StateDictReader.Read(stream, name).Dispose());
        Assert.Equal(name, error.FilePath);
        return error;
    }
}
