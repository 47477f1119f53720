using SemanticManipulation.Training.Data;
using SemanticManipulation.Training.World;

namespace SemanticManipulation.Training.Tests.ImageSources;

public sealed class SwitchingImageSourceTests
{
    private static readonly SceneWorldImageSource Plain = new(new SceneWorld(new SceneWorldOptions { DomeChance = 0 }), 16);
    private static readonly SceneWorldImageSource Domed = new(new SceneWorld(new SceneWorldOptions { DomeChance = 1 }), 16);

    [Fact]
    public void Iterations_before_the_switch_read_the_first_source_and_from_it_on_the_second()
    {
        var source = new SwitchingImageSource(Plain, Domed, switchIteration: 2);

        for (var iteration = 0; iteration < 4; iteration++)
        {
            using var batch = source.Batch(iteration, 4);
            using var expected = (iteration < 2 ? Plain : Domed).Batch(iteration, 4);
            using var other = (iteration < 2 ? Domed : Plain).Batch(iteration, 4);
            Assert.True(Same(batch, expected), $"iteration {iteration} did not read the source it should");
            Assert.False(Same(batch, other), $"iteration {iteration}: the two worlds drew the same scenes, so the test shows nothing");
        }

        Assert.Equal(16, source.Resolution);
        // Its description says both worlds and where it switches, as a generator trained on it records.
        Assert.Equal($"{Plain.Description}, then from iteration 2: {Domed.Description}", source.Description);
        Assert.Contains("\"DomeChance\":1", Domed.Description, StringComparison.Ordinal);
    }

    private static bool Same(TorchSharp.torch.Tensor a, TorchSharp.torch.Tensor b)
    {
        using var equal = a.equal(b).all();
        return equal.item<bool>();
    }

    [Fact]
    public void Sources_of_two_sizes_are_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => new SwitchingImageSource(Plain, new SceneWorldImageSource(new SceneWorld(), 32), 10));
        Assert.Contains("16²,", error.Message, StringComparison.Ordinal);
        Assert.Contains("32²", error.Message, StringComparison.Ordinal);
    }
}
