using SemanticManipulation.Training.World;

namespace SemanticManipulation.Training.Tests.World;

/// <summary>Label statistics over a run of consecutive seeds.</summary>
internal sealed class SceneStatistics
{
    private SceneStatistics(int images, int size, long[] pixels, int[] imagesWith, double[] meanRow)
    {
        Images = images;
        Size = size;
        PixelCounts = pixels;
        ImagesWith = imagesWith;
        MeanRow = meanRow;
    }

    public int Images { get; }

    public int Size { get; }

    /// <summary>Pixels of each label over all images.</summary>
    public long[] PixelCounts { get; }

    /// <summary>Images in which each label appears at least once.</summary>
    public int[] ImagesWith { get; }

    /// <summary>Mean row (0 top .. 1 bottom) of each label's pixels.</summary>
    public double[] MeanRow { get; }

    public double PixelShare(SceneLabel label) => PixelCounts[(int)label] / ((double)Images * Size * Size);

    public double ImageFrequency(SceneLabel label) => ImagesWith[(int)label] / (double)Images;

    public static SceneStatistics Collect(long firstSeed, int count, int size)
    {
        var world = new SceneWorld();
        var pixels = new long[SceneLabels.Count];
        var images = new int[SceneLabels.Count];
        var rowSums = new double[SceneLabels.Count];
        var gate = new object();
        Parallel.For(0, count, i =>
        {
            SceneSample s = world.Render(firstSeed + i, size);
            var local = new long[SceneLabels.Count];
            var rows = new double[SceneLabels.Count];
            ReadOnlySpan<byte> labels = s.Labels.Span;
            for (int p = 0; p < labels.Length; p++)
            {
                local[labels[p]]++;
                rows[labels[p]] += ((p / size) + 0.5) / size;
            }

            lock (gate)
            {
                for (int l = 0; l < SceneLabels.Count; l++)
                {
                    pixels[l] += local[l];
                    rowSums[l] += rows[l];
                    images[l] += local[l] > 0 ? 1 : 0;
                }
            }
        });

        var meanRow = new double[SceneLabels.Count];
        for (int l = 0; l < SceneLabels.Count; l++)
        {
            meanRow[l] = pixels[l] > 0 ? rowSums[l] / pixels[l] : double.NaN;
        }

        return new SceneStatistics(count, size, pixels, images, meanRow);
    }
}
