using SemanticManipulation.Training.World;
using TorchSharp;

namespace SemanticManipulation.Training.Tests.World;

public class SceneWorldBatchTests
{
    [Fact]
    public void Batch_tensors_match_single_renders_exactly()
    {
        const int Count = 5, Size = 32;
        var world = new SceneWorld();
        using SceneBatch batch = world.RenderBatch(1000, Count, Size);

        Assert.Equal(new long[] { Count, 3, Size, Size }, batch.Images.shape);
        Assert.Equal(new long[] { Count, Size, Size }, batch.Labels.shape);
        Assert.Equal(torch.ScalarType.Float32, batch.Images.dtype);
        Assert.Equal(torch.ScalarType.Int64, batch.Labels.dtype);
        Assert.Equal(1000, batch.FirstSeed);

        float[] images = batch.Images.data<float>().ToArray();
        long[] labels = batch.Labels.data<long>().ToArray();
        int pixels = Size * Size;
        for (int i = 0; i < Count; i++)
        {
            SceneSample s = world.Render(1000 + i, Size);
            for (int p = 0; p < pixels; p++)
            {
                for (int c = 0; c < 3; c++)
                {
                    float expected = (s.Rgb.Span[(3 * p) + c] / 255f * 2f) - 1f;
                    Assert.Equal(expected, images[(i * 3 * pixels) + (c * pixels) + p]);
                }

                Assert.Equal(s.Labels.Span[p], labels[(i * pixels) + p]);
            }
        }
    }

    [Fact]
    public void Batch_values_span_the_unit_range()
    {
        using SceneBatch batch = new SceneWorld().RenderBatch(0, 4, 32);
        Assert.True(batch.Images.min().item<float>() >= -1f);
        Assert.True(batch.Images.max().item<float>() <= 1f);
        Assert.True(batch.Labels.max().item<long>() < SceneLabels.Count);
    }
}
