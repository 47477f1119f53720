using SemanticManipulation.Training.World;

namespace SemanticManipulation.Training.Tests.World;

public class SceneWorldSizeTests
{
    [Theory]
    [InlineData(16)]
    [InlineData(32)]
    [InlineData(64)]
    [InlineData(128)]
    public void Renders_at_supported_sizes(int size)
    {
        SceneSample s = new SceneWorld().Render(3, size);

        Assert.Equal(size, s.Size);
        Assert.Equal(3 * size * size, s.Rgb.Length);
        Assert.Equal(size * size, s.Labels.Length);
        using var image = s.ToImage();
        Assert.Equal(size, image.Width);
        Assert.Equal(size, image.Height);
    }

    [Fact]
    public void A_seed_shows_the_same_scene_at_every_size()
    {
        var world = new SceneWorld();
        for (long seed = 0; seed < 10; seed++)
        {
            SceneSample small = world.Render(seed, 64), large = world.Render(seed, 128);
            int agree = 0;
            for (int y = 0; y < 64; y++)
            {
                for (int x = 0; x < 64; x++)
                {
                    // The large image's pixel (2x+1, 2y+1) has its centre closest to the small pixel's centre.
                    agree += small.LabelAt(x, y) == large.LabelAt((2 * x) + 1, (2 * y) + 1) ? 1 : 0;
                }
            }

            Assert.True(agree > 0.9 * 64 * 64, $"seed {seed}: only {agree} of {64 * 64} labels agree across sizes");
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-64)]
    [InlineData(15)]
    [InlineData(513)]
    public void Bad_sizes_throw_naming_the_size(int size)
    {
        var world = new SceneWorld();

        Assert.Equal("size", Assert.Throws<ArgumentOutOfRangeException>(() => world.Render(0, size)).ParamName);
        Assert.Equal("size", Assert.Throws<ArgumentOutOfRangeException>(() => world.RenderBatch(0, 2, size)).ParamName);
        Assert.Equal("size", Assert.Throws<ArgumentOutOfRangeException>(() => world.RenderInto(0, size, new byte[10], new byte[10])).ParamName);
        Assert.Equal("size", Assert.Throws<ArgumentOutOfRangeException>(() => world.WriteContactSheet("x.png", 0, 2, size, false)).ParamName);
    }

    [Fact]
    public void Bad_counts_buffers_and_options_throw()
    {
        var world = new SceneWorld();

        Assert.Equal("count", Assert.Throws<ArgumentOutOfRangeException>(() => world.RenderBatch(0, 0, 32)).ParamName);
        Assert.Equal("rgb", Assert.Throws<ArgumentException>(() => world.RenderInto(0, 32, new byte[10], new byte[32 * 32])).ParamName);
        Assert.Equal("labels", Assert.Throws<ArgumentException>(() => world.RenderInto(0, 32, new byte[3 * 32 * 32], new byte[10])).ParamName);
        Assert.Equal("MaxTrees", Assert.Throws<ArgumentOutOfRangeException>(() => new SceneWorld(new SceneWorldOptions { MaxTrees = 9 })).ParamName);
        Assert.Equal("DomeChance", Assert.Throws<ArgumentOutOfRangeException>(() => new SceneWorld(new SceneWorldOptions { DomeChance = 1.5f })).ParamName);
        Assert.Equal("SensorNoise", Assert.Throws<ArgumentOutOfRangeException>(() => new SceneWorld(new SceneWorldOptions { SensorNoise = float.NaN })).ParamName);
    }

    [Fact]
    public void Label_names_follow_the_enum()
    {
        Assert.Equal(SceneLabels.Count, Enum.GetValues<SceneLabel>().Length);
        Assert.Equal(SceneLabels.Count, SceneLabels.Names.Count);
        Assert.Equal(SceneLabels.Count, SceneLabels.Colors.Count);
        foreach (SceneLabel label in Enum.GetValues<SceneLabel>())
        {
            Assert.Equal(label.ToString().ToLowerInvariant(), SceneLabels.NameOf(label));
        }

        Assert.Equal(7, SceneLabels.StudioConcepts.Count);
        Assert.Equal(11, (int)SceneLabel.Window);
    }
}
