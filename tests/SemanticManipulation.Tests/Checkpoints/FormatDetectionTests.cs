using System.Text;
using SemanticManipulation.Checkpoints;
using Xunit;
using static TorchSharp.torch;

namespace SemanticManipulation.Tests.Checkpoints;

/// <summary>
/// The format is recognised from enough of the content that no valid file is taken for another format: a safetensors
/// header length whose low byte is 0x80 (the pickle PROTO opcode, about one 8-byte-aligned header in 32) is not a pickle.
/// </summary>
public sealed class FormatDetectionTests
{
    private const string Tensors = """{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"I64","shape":[],"data_offsets":[8,16]}}""";

    [Theory]
    [InlineData(0x80)]
    [InlineData(0x180)]
    [InlineData(0x280)]
    [InlineData(0x380)]
    [InlineData(0x480)]
    [InlineData(0x580)]
    [InlineData(0x1080)]
    [InlineData(0x10080)]
    public void Safetensors_whose_header_length_starts_with_the_pickle_opcode_loads_its_tensors(int headerLength)
    {
        var data = CheckpointBytes.Floats(1.5f, -2f).Concat(BitConverter.GetBytes(42L)).ToArray();
        var bytes = CheckpointBytes.SafeTensors(Tensors.PadRight(headerLength), data);
        Assert.Equal(0x80, bytes[0]);
        using var stream = new MemoryStream(bytes);

        using var state = StateDictReader.Read(stream, "aligned.safetensors");

        Assert.Equal(CheckpointFormat.SafeTensors, state.Format);
        Assert.Equal([1.5f, -2f], state.Tensors["a"].data<float>().ToArray());
        Assert.Equal(42L, state.Tensors["b"].item<long>());
    }

    [Fact]
    public void Safetensors_written_by_the_sdk_with_such_a_header_length_reads_back()
    {
        using var temp = Fixture.TempDirectory();
        var path = temp.File("generator.safetensors");
        using var weight = arange(24, ScalarType.Float32).view(2, 3, 4) / 7;
        using var bias = tensor(new[] { 0.25f, -0.5f });
        var tensors = new Dictionary<string, Tensor> { ["layer1.conv.weight"] = weight, ["layer1.wscale.b"] = bias };

        // Metadata of growing length moves the (8-byte aligned) header length until its low byte is 0x80.
        var padding = 0;
        do
        {
            SafeTensorsWriter.Write(path, tensors, new Dictionary<string, string> { ["note"] = new string('x', padding++) });
        }
        while (File.ReadAllBytes(path)[0] != 0x80);

        using var state = StateDictReader.Read(path);

        Assert.Equal(CheckpointFormat.SafeTensors, state.Format);
        Assert.True(state.Tensors["layer1.conv.weight"].eq(weight).all().item<bool>());
        Assert.True(state.Tensors["layer1.wscale.b"].eq(bias).all().item<bool>());
    }

    [Fact]
    public void Truncated_safetensors_with_such_a_header_length_is_reported_as_truncated_safetensors()
    {
        var bytes = CheckpointBytes.SafeTensors(Tensors.PadRight(0x280), new byte[16]);

        using var stream = new MemoryStream(bytes[..0x100]);
        var error = Assert.Throws<CheckpointFormatException>(() => StateDictReader.Read(stream, "cut.safetensors"));

        Assert.Equal(
            "cut.safetensors is truncated or not a safetensors file: its header length field says 640 bytes, but only 248 bytes follow it.",
            error.Message);
    }

    [Fact]
    public void Bytes_that_only_start_like_a_pickle_are_not_a_supported_format()
    {
        var bytes = Encoding.Latin1.GetBytes("\u0080\u000bthis is not a pickle at all");

        using var stream = new MemoryStream(bytes);
        var error = Assert.Throws<CheckpointFormatException>(() => StateDictReader.Read(stream, "odd.bin"));

        Assert.StartsWith("odd.bin is not a checkpoint in a supported format (it starts with bytes 800B", error.Message, StringComparison.Ordinal);
    }
}
