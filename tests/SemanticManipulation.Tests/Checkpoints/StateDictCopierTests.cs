using SemanticManipulation.Checkpoints;
using Xunit;
using static TorchSharp.torch;

namespace SemanticManipulation.Tests.Checkpoints;

/// <summary>The one copy of checkpoint tensors into a network that the generator, encoder and segmenter loaders share.</summary>
public sealed class StateDictCopierTests
{
    [Fact]
    public void Copies_by_name_widening_float16_and_skips_only_what_may_be_missing()
    {
        using var weight = zeros(2, 3);
        using var count = zeros(1, dtype: ScalarType.Int64);
        using var saved = full(2, 3, 0.5f).to_type(ScalarType.Float16);

        StateDictCopier.CopyInto([("w", weight), ("n", count)], new Dictionary<string, Tensor> { ["w"] = saved }, "x.safetensors",
            mayBeMissing: key => key == "n");

        Assert.True(weight.eq(0.5f).all().item<bool>());
        var error = Assert.Throws<CheckpointFormatException>(() =>
            StateDictCopier.CopyInto([("w", weight), ("n", count)], new Dictionary<string, Tensor> { ["w"] = saved }, "x.safetensors"));
        Assert.Equal("x.safetensors: missing key 'n' (expected shape [1]).", error.Message);
    }

    [Fact]
    public void Refuses_another_shape_and_integers_for_floating_point_values_naming_the_key()
    {
        using var weight = zeros(2, 3);
        using var wide = zeros(2, 4);
        using var integers = zeros([2, 3], dtype: ScalarType.Int32);

        var shape = Assert.Throws<CheckpointFormatException>(() =>
            StateDictCopier.CopyInto([("w", weight)], new Dictionary<string, Tensor> { ["w"] = wide }, "x.pth"));
        var type = Assert.Throws<CheckpointFormatException>(() =>
            StateDictCopier.CopyInto([("w", weight)], new Dictionary<string, Tensor> { ["w"] = integers }, "x.pth"));

        Assert.Equal("x.pth: key 'w' has shape [2, 4], expected [2, 3].", shape.Message);
        Assert.Equal("x.pth: key 'w' holds Int32 values, expected floating point.", type.Message);
        Assert.True(weight.eq(0).all().item<bool>());
    }

    [Fact]
    public void Refuses_non_finite_values_naming_the_key_and_how_many_there_are()
    {
        using var weight = zeros(2, 3);
        using var saved = tensor(new[] { 1f, float.PositiveInfinity, float.NaN, 4f, float.NaN, 6f }).view(2, 3).to_type(ScalarType.Float16);

        var error = Assert.Throws<CheckpointFormatException>(() =>
            StateDictCopier.CopyInto([("w", weight)], new Dictionary<string, Tensor> { ["w"] = saved }, "x.pth"));

        Assert.Equal(
            "x.pth: tensor 'w' holds 2 NaN and 1 infinite values; the file is corrupt or the training diverged, " +
            "re-download it or use an earlier checkpoint.", error.Message);
        Assert.Equal("x.pth", error.FilePath);
        Assert.True(weight.eq(0).all().item<bool>());
    }
}
