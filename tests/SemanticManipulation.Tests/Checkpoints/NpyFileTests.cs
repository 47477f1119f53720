using System.Buffers.Binary;
using System.Text;
using SemanticManipulation.Checkpoints;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace SemanticManipulation.Tests.Checkpoints;

/// <summary>.npy arrays written by NumPy read back exactly, and arrays written here are valid NumPy files.</summary>
public sealed class NpyFileTests
{
    private static readonly byte[] Magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    [Fact]
    public void Reads_numpy_latents()
    {
        using var latents = NpyFile.Read(Fixture.ProGan("latents.npy"));
        using var first = NpyFile.Read(Fixture.ProGan("latent0.npy"));

        Assert.Equal(ScalarType.Float32, latents.dtype);
        Assert.Equal([4L, 32], latents.shape);
        Assert.Equal([32L], first.shape);
        using var row = latents[0];
        using var same = row.eq(first).all();
        Assert.True(same.item<bool>());
    }

    [Fact]
    public void Read_tensor_belongs_to_the_callers_dispose_scope()
    {
        Tensor latents;
        using (NewDisposeScope())
        {
            latents = NpyFile.Read(Fixture.ProGan("latents.npy"));
            Assert.False(latents.IsInvalid);
        }

        Assert.True(latents.IsInvalid);
    }

    [Fact]
    public void Reads_numpy_uint8_images()
    {
        using var images = NpyFile.Read(Fixture.ProGan("expected_images_u8.npy"));

        Assert.Equal(ScalarType.Byte, images.dtype);
        Assert.Equal([4L, 32, 32, 3], images.shape);
    }

    [Theory]
    [InlineData(ScalarType.Float32)]
    [InlineData(ScalarType.Byte)]
    [InlineData(ScalarType.Int64)]
    [InlineData(ScalarType.Float64)]
    [InlineData(ScalarType.Float16)]
    [InlineData(ScalarType.Int32)]
    [InlineData(ScalarType.Int8)]
    [InlineData(ScalarType.Bool)]
    public void Round_trips_every_element_type(ScalarType type)
    {
        using var temp = Fixture.TempDirectory();
        var path = temp.File("a.npy");
        using var scope = NewDisposeScope();
        var original = (arange(24, ScalarType.Int64) * 7 % 100).view(2, 3, 4).to(type);

        NpyFile.Write(path, original);
        var read = NpyFile.Read(path);

        Assert.Equal(type, read.dtype);
        Assert.Equal(original.shape, read.shape);
        Assert.True(original.eq(read).all().item<bool>());
    }

    [Fact]
    public void Writes_the_logical_order_of_a_non_contiguous_tensor_and_odd_shapes()
    {
        using var temp = Fixture.TempDirectory();
        using var scope = NewDisposeScope();
        var transposed = arange(6, ScalarType.Float32).view(2, 3).t();
        var cases = new[] { transposed, tensor(2.5f), zeros(0, 4), randn(1000) };

        foreach (var original in cases)
        {
            var path = temp.File("case.npy");
            NpyFile.Write(path, original);
            var read = NpyFile.Read(path);
            Assert.Equal(original.shape, read.shape);
            Assert.True(original.eq(read).all().item<bool>());
        }
    }

    [Fact]
    public void Written_header_is_numpy_format_1_0_aligned_to_64_bytes()
    {
        using var temp = Fixture.TempDirectory();
        var path = temp.File("a.npy");
        using var data = ones(4, 32);

        NpyFile.Write(path, data);

        var bytes = File.ReadAllBytes(path);
        Assert.Equal(Magic, bytes[..6]);
        Assert.Equal([1, 0], bytes[6..8]);
        var headerLength = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(8));
        Assert.Equal(0, (10 + headerLength) % 64);
        var header = Encoding.ASCII.GetString(bytes, 10, headerLength);
        Assert.StartsWith("{'descr': '<f4', 'fortran_order': False, 'shape': (4, 32), }", header, StringComparison.Ordinal);
        Assert.EndsWith("\n", header, StringComparison.Ordinal);
        Assert.Equal(10 + headerLength + (4 * 32 * 4), bytes.Length);
    }

    [Fact]
    public void Write_replaces_atomically_and_leaves_no_temporary_file()
    {
        using var temp = Fixture.TempDirectory();
        var path = temp.File("z.npy");
        File.WriteAllText(path, "old");
        using var data = arange(3, ScalarType.Int64);

        NpyFile.Write(path, data);

        Assert.Equal(["z.npy"], Directory.GetFiles(temp.Path).Select(Path.GetFileName));
        using var read = NpyFile.Read(path);
        Assert.Equal([0L, 1, 2], read.data<long>().ToArray());
    }

    [Fact]
    public void Element_types_numpy_lacks_are_refused_on_write()
    {
        using var temp = Fixture.TempDirectory();
        using var data = ones(2, ScalarType.BFloat16);

        var error = Assert.Throws<ArgumentException>(() => NpyFile.Write(temp.File("b.npy"), data));

        Assert.Contains("BFloat16", error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(temp.Path));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void Reads_format_versions_2_and_3(int major)
    {
        var bytes = Npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", [0, 0, 0x80, 0x3f, 0, 0, 0, 0x40], major);

        using var read = ReadBytes(bytes);

        Assert.Equal([1f, 2f], read.data<float>().ToArray());
    }

    [Theory]
    [InlineData("{'descr': '<f4', 'fortran_order': True, 'shape': (2,), }", "Fortran-order")]
    [InlineData("{'descr': '>f4', 'fortran_order': False, 'shape': (2,), }", "big-endian data ('>f4')")]
    [InlineData("{'descr': '<c8', 'fortran_order': False, 'shape': (2,), }", "type '<c8', which is not supported")]
    [InlineData("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (2,), }", "structured")]
    [InlineData("{'descr': '<f4', 'shape': (2,), }", "lacks descr, fortran_order or shape")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (-2,), }", "non-negative")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), ", "cannot be parsed")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (((((((((((2,),),),),),),),),),), }", "cannot be parsed")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }", "is truncated")]
    public void Unsupported_or_broken_arrays_are_named(string header, string expected)
    {
        var error = Assert.Throws<CheckpointFormatException>(() => ReadBytes(Npy(header, new byte[8])).Dispose());

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.StartsWith("array.npy ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_broken_header_is_quoted_on_one_line_and_cut_short()
    {
        var header = "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }\n\u0001" + new string('x', 5000);

        var error = Assert.Throws<CheckpointFormatException>(() => ReadBytes(Npy(header, new byte[8])).Dispose());

        Assert.StartsWith(
            "array.npy is not a valid .npy file: its header {'descr': '<f4', 'fortran_order': False, 'shape': (2,), }\\n\\x01xxx",
            error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
        Assert.True(error.Message.Length < 400, error.Message);
    }

    [Fact]
    public void Files_that_are_not_npy_are_refused()
    {
        var error = Assert.Throws<CheckpointFormatException>(() => ReadBytes("PK\x03\x04 not numpy"u8.ToArray()).Dispose());

        Assert.Contains("not a .npy file", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_file_is_reported_with_its_path()
    {
        using var temp = Fixture.TempDirectory();
        var path = temp.File("missing.npy");

        var error = Assert.Throws<FileNotFoundException>(() => NpyFile.Read(path));

        Assert.Equal(path, error.FileName);
    }

    private static Tensor ReadBytes(byte[] bytes)
    {
        var directory = Fixture.TempDirectory();
        try
        {
            var path = directory.File("array.npy");
            File.WriteAllBytes(path, bytes);
            return NpyFile.Read(path);
        }
        finally
        {
            directory.Dispose();
        }
    }

    private static byte[] Npy(string header, byte[] data, int major = 1)
    {
        var text = Encoding.ASCII.GetBytes(header + "\n");
        using var stream = new MemoryStream();
        stream.Write(Magic);
        stream.WriteByte((byte)major);
        stream.WriteByte(0);
        var length = new byte[major == 1 ? 2 : 4];
        if (major == 1)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(length, (ushort)text.Length);
        }
        else
        {
            BinaryPrimitives.WriteUInt32LittleEndian(length, (uint)text.Length);
        }

        stream.Write(length);
        stream.Write(text);
        stream.Write(data);
        return stream.ToArray();
    }
}
