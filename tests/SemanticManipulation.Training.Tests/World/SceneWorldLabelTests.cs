using SemanticManipulation.Training.World;
using SemanticManipulation.Training.World.Layout;

namespace SemanticManipulation.Training.Tests.World;

public class SceneWorldLabelTests
{
    private static readonly Lazy<SceneStatistics> Statistics = new(() => SceneStatistics.Collect(0, 300, 64));

    [Fact]
    public void Every_label_appears_in_300_images()
    {
        for (int l = 0; l < SceneLabels.Count; l++)
        {
            Assert.True(Statistics.Value.ImagesWith[l] > 0, $"label {SceneLabels.Names[l]} never appears");
        }
    }

    [Theory]
    [InlineData(SceneLabel.Sky, 0.95)]
    [InlineData(SceneLabel.Grass, 0.95)]
    [InlineData(SceneLabel.Tree, 0.8)]
    [InlineData(SceneLabel.Cloud, 0.7)]
    [InlineData(SceneLabel.Door, 0.5)]
    [InlineData(SceneLabel.Brick, 0.5)]
    [InlineData(SceneLabel.Dome, 0.3)]
    public void Studio_concepts_are_common(SceneLabel concept, double minimumImageFrequency)
    {
        double frequency = Statistics.Value.ImageFrequency(concept);
        Assert.True(frequency >= minimumImageFrequency,
            $"{SceneLabels.NameOf(concept)} appears in {frequency:P1} of images, below {minimumImageFrequency:P0}");
    }

    [Fact]
    public void Labels_are_all_defined_values()
    {
        var world = new SceneWorld();
        for (long seed = 0; seed < 20; seed++)
        {
            foreach (byte label in world.Render(seed, 32).Labels.Span)
            {
                Assert.True(label < SceneLabels.Count);
            }
        }
    }

    [Fact]
    public void Sky_is_high_and_grass_low_on_average()
    {
        SceneStatistics s = Statistics.Value;
        Assert.True(s.MeanRow[(int)SceneLabel.Sky] < 0.35);
        Assert.True(s.MeanRow[(int)SceneLabel.Cloud] < 0.4);
        Assert.True(s.MeanRow[(int)SceneLabel.Grass] > 0.65);
        Assert.True(s.MeanRow[(int)SceneLabel.Path] > 0.7);
        Assert.True(s.MeanRow[(int)SceneLabel.Dome] < s.MeanRow[(int)SceneLabel.Door], "domes should sit above doors");
    }

    [Fact]
    public void Sky_is_only_above_the_horizon_and_grass_only_below_it()
    {
        const int Size = 64;
        var options = new SceneWorldOptions();
        var world = new SceneWorld(options);
        for (long seed = 0; seed < 60; seed++)
        {
            float horizonRow = SceneComposer.Compose(seed, options).HorizonY * Size;
            SceneSample sample = world.Render(seed, Size);
            for (int y = 0; y < Size; y++)
            {
                for (int x = 0; x < Size; x++)
                {
                    SceneLabel label = sample.LabelAt(x, y);
                    float center = y + 0.5f;
                    Assert.False(label is SceneLabel.Sky or SceneLabel.Cloud && center > horizonRow + 1f, $"seed {seed}: {label} at row {y}");
                    Assert.False(label is SceneLabel.Grass or SceneLabel.Path && center < horizonRow, $"seed {seed}: {label} at row {y}");
                }
            }
        }
    }

    [Fact]
    public void Labelled_pixels_have_the_colours_of_their_surfaces()
    {
        var world = new SceneWorld();
        var sums = new double[SceneLabels.Count, 3];
        var counts = new long[SceneLabels.Count];
        for (long seed = 0; seed < 150; seed++)
        {
            SceneSample s = world.Render(seed, 64);
            ReadOnlySpan<byte> rgb = s.Rgb.Span, labels = s.Labels.Span;
            for (int p = 0; p < labels.Length; p++)
            {
                counts[labels[p]]++;
                for (int c = 0; c < 3; c++)
                {
                    sums[labels[p], c] += rgb[(3 * p) + c];
                }
            }
        }

        double Mean(SceneLabel l, int c) => sums[(int)l, c] / counts[(int)l];
        double Redness(SceneLabel l) => Mean(l, 0) - Mean(l, 2);

        Assert.True(Mean(SceneLabel.Grass, 1) > Mean(SceneLabel.Grass, 2), "grass should be greener than blue");
        Assert.True(Mean(SceneLabel.Tree, 1) > Mean(SceneLabel.Tree, 2), "foliage should be greener than blue");
        Assert.True(Redness(SceneLabel.Brick) > Redness(SceneLabel.Stone) + 20, "brick should be redder than stone");
        Assert.True(Mean(SceneLabel.Door, 0) < Mean(SceneLabel.Brick, 0) && Mean(SceneLabel.Door, 1) < Mean(SceneLabel.Stone, 1),
            "doors should be darker than walls");
        Assert.True(Mean(SceneLabel.Sky, 2) > Mean(SceneLabel.Grass, 2) + 40, "sky should be bluer than grass");
        Assert.True(Mean(SceneLabel.Cloud, 0) > Mean(SceneLabel.Sky, 0), "clouds should be whiter than sky");
    }

    [Fact]
    public void Options_remove_what_they_switch_off()
    {
        var world = new SceneWorld(new SceneWorldOptions { MaxBuildings = 0, MaxTrees = 0 });
        var absent = new[] { SceneLabel.Brick, SceneLabel.Stone, SceneLabel.Roof, SceneLabel.Dome, SceneLabel.Door, SceneLabel.Window, SceneLabel.Tree };
        for (long seed = 0; seed < 40; seed++)
        {
            foreach (byte label in world.Render(seed, 32).Labels.Span)
            {
                Assert.DoesNotContain((SceneLabel)label, absent);
            }
        }
    }
}
