using SemanticManipulation.Checkpoints;
using Xunit;
using static TorchSharp.torch;

namespace SemanticManipulation.Tests.Checkpoints;

/// <summary><see cref="SafeTensorsWriter.CopyAsFloat16"/>: float32 tensors shrink to float16, everything else is kept.</summary>
public sealed class SafeTensorsFloat16CopyTests
{
    private static readonly float[] Weights = [0.1f, -2.5f, 1e-3f, 300f];
    private static readonly float[] Huge = [1f, 1e6f];
    private static readonly long[] Count = [7L];
    private static readonly double[] Precise = [0.1, 0.2];

    [Fact]
    public void Float32_tensors_become_float16_and_the_rest_is_kept()
    {
        using var temp = Fixture.TempDirectory();
        var source = temp.File("source.safetensors");
        var copy = temp.File("copy.safetensors");
        using var weight = tensor(Weights).reshape(2, 2);
        using var huge = tensor(Huge);
        using var count = tensor(Count);
        using var precise = tensor(Precise);
        SafeTensorsWriter.Write(source, new Dictionary<string, Tensor>
        {
            ["weight"] = weight,
            ["huge"] = huge,
            ["count"] = count,
            ["precise"] = precise,
        }, new Dictionary<string, string> { ["format"] = "test" });

        SafeTensorsWriter.CopyAsFloat16(source, copy);

        using var state = StateDictReader.Read(copy);
        Assert.Equal(ScalarType.Float16, state.Tensors["weight"].dtype);
        Assert.Equal([2L, 2L], state.Tensors["weight"].shape);
        using var widened = state.Tensors["weight"].to_type(ScalarType.Float32);
        Assert.True(widened.allclose(weight, rtol: 1e-3, atol: 1e-6));
        Assert.Equal(ScalarType.Float32, state.Tensors["huge"].dtype); // 1e6 is beyond float16's 65504
        Assert.True(state.Tensors["huge"].eq(huge).all().item<bool>());
        Assert.Equal(ScalarType.Int64, state.Tensors["count"].dtype);
        Assert.Equal(ScalarType.Float64, state.Tensors["precise"].dtype);
        Assert.Equal("test", state.Metadata["format"]);
        Assert.True(new FileInfo(copy).Length < new FileInfo(source).Length);
    }
}
