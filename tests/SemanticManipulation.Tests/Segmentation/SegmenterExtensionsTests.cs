using SemanticManipulation.Segmentation;
using Xunit;
using static TorchSharp.torch;

namespace SemanticManipulation.Tests.Segmentation;

public sealed class SegmenterExtensionsTests
{
    [Fact]
    public void ShareInMask_weighs_the_label_by_the_mask_and_is_zero_for_an_empty_mask()
    {
        using var segmenter = new LeftHalfSegmenter();
        using var image = zeros(1, 3, 8, 8);
        using var mask = zeros(1, 1, 8, 8);
        mask.narrow(3, 2, 4).fill_(1f);   // columns 2..5: half on the labelled left half
        using var empty = zeros(1, 1, 8, 8);

        Assert.Equal(0.5, segmenter.ShareInMask(image, 0, mask), 6);
        Assert.Equal(0.5, segmenter.ShareInMask(image, 1, mask), 6);
        Assert.Equal(0.0, segmenter.ShareInMask(image, 0, empty));
        Assert.Throws<ArgumentOutOfRangeException>(() => segmenter.ShareInMask(image, 2, mask));
    }

    /// <summary>Labels the left half of every image "left" and the right half "right".</summary>
    private sealed class LeftHalfSegmenter : ISegmenter
    {
        public IReadOnlyList<string> Labels { get; } = ["left", "right"];

        public Tensor Segment(Tensor images)
        {
            var (n, height, width) = (images.shape[0], images.shape[2], images.shape[3]);
            var left = zeros(n, 1, height, width);
            left.narrow(3, 0, width / 2).fill_(1f);
            return cat([left, 1 - left], 1);
        }

        public void Dispose()
        {
        }
    }
}
