using System.Diagnostics;
using System.Globalization;
using SemanticManipulation.Training.World;
using Xunit.Abstractions;

namespace SemanticManipulation.Training.Tests.World;

/// <summary>Prints timings and label statistics when <c>SM_WORLD_REPORT</c> is set (they take a few seconds).</summary>
public class SceneWorldReport(ITestOutputHelper output)
{
    [Fact]
    public void Report()
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("SM_WORLD_REPORT")))
        {
            return;
        }

        var world = new SceneWorld();
        foreach (int size in (int[])[64, 128])
        {
            var rgb = new byte[3 * size * size];
            var labels = new byte[size * size];
            for (int i = 0; i < 50; i++)
            {
                world.RenderInto(10_000 + i, size, rgb, labels);
            }

            int n = size == 64 ? 2000 : 500;
            var watch = Stopwatch.StartNew();
            for (int i = 0; i < n; i++)
            {
                world.RenderInto(i, size, rgb, labels);
            }

            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{size}²: {watch.Elapsed.TotalMilliseconds / n:F3} ms/image single-threaded"));
        }

        using (world.RenderBatch(0, 64, 64))
        {
        }

        var batchWatch = Stopwatch.StartNew();
        int batches = 20;
        for (int b = 0; b < batches; b++)
        {
            using SceneBatch batch = world.RenderBatch(b * 64, 64, 64);
        }

        double perImage = batchWatch.Elapsed.TotalMilliseconds / (batches * 64);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"batch 64×64², {Environment.ProcessorCount} cores: {perImage:F3} ms/image, {1000 / perImage:F0} images/s"));

        SceneStatistics stats = SceneStatistics.Collect(0, 1000, 64);
        for (int l = 0; l < SceneLabels.Count; l++)
        {
            var label = (SceneLabel)l;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{SceneLabels.Names[l],-7} pixels {stats.PixelShare(label) * 100,6:F2}%  images {stats.ImageFrequency(label) * 100,5:F1}%  mean row {stats.MeanRow[l]:F2}"));
        }
    }
}
