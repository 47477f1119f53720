using SemanticManipulation.Imaging;
using SemanticManipulation.Segmentation;
using SemanticManipulation.Tests.DefaultModel;
using EmbeddedModel = SemanticManipulation.DefaultModel;
using Xunit;
using static TorchSharp.torch;

namespace SemanticManipulation.Tests.Segmentation;

/// <summary>The shipped segmenter (24 and 72 input channels in places: partial oneDNN blocks on AVX-512) reads an image
/// the same every time.</summary>
public sealed class ShippedSegmenterTests
{
    [Fact]
    public void The_same_photo_segmented_two_hundred_times_gets_the_same_labels_every_time()
    {
        using var bundle = EmbeddedModel.Load();
        var segmenter = (ConvolutionalSegmenter)bundle.Segmenter!;
        // At the bundle's resolution: the size its segmenter was trained at.
        using var photo = ImageTensor.Load(DefaultModelFixture.SamplePhoto("church.jpg"), bundle.Generator.Resolution);
        using var first = segmenter.Predict(photo.Tensor);

        var differing = 0;
        for (var i = 0; i < 200; i++)
        {
            using var scope = NewDisposeScope();
            // Other work between the calls, as in a pipeline, so that stale memory is around to be read.
            using (var noise = randn(4, 64, 32, 32))
            {
                noise.sum().item<float>();
            }

            if (!segmenter.Predict(photo.Tensor).eq(first).all().item<bool>())
            {
                differing++;
            }
        }

        Assert.Equal(0, differing);
        using var histogram = first.flatten().bincount(null, segmenter.Labels.Count);
        Assert.True(histogram.count_nonzero().item<long>() > 3, "The sample photo shows several classes.");
    }
}
