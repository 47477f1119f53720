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
            for (int i = 0; i < 200; i++)
            {
                world.RenderInto(10_000 + i, size, rgb, labels);
            }

            // The host may be shared: the best of several rounds, in wall-clock and in this process's CPU time.
            int n = size == 64 ? 500 : 150;
            double bestWall = double.MaxValue, bestCpu = double.MaxValue;
            for (int round = 0; round < 5; round++)
            {
                TimeSpan cpu = Process.GetCurrentProcess().TotalProcessorTime;
                var watch = Stopwatch.StartNew();
                for (int i = 0; i < n; i++)
                {
                    world.RenderInto((round * n) + i, size, rgb, labels);
                }

                bestWall = Math.Min(bestWall, watch.Elapsed.TotalMilliseconds / n);
                bestCpu = Math.Min(bestCpu, (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds / n);
            }

            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{size}²: {bestWall:F3} ms/image wall, {bestCpu:F3} ms/image CPU, single-threaded"));
        }

        using (world.RenderBatch(0, 64, 64))
        {
        }

        double bestBatch = double.MaxValue, batchCpu = double.MaxValue;
        for (int round = 0; round < 5; round++)
        {
            TimeSpan cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var batchWatch = Stopwatch.StartNew();
            for (int b = 0; b < 4; b++)
            {
                using SceneBatch batch = world.RenderBatch(((round * 4) + b) * 64, 64, 64);
            }

            bestBatch = Math.Min(bestBatch, batchWatch.Elapsed.TotalMilliseconds / (4 * 64));
            batchCpu = Math.Min(batchCpu, (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds / (4 * 64));
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"batch of 64 at 64², {Environment.ProcessorCount} cores: {bestBatch:F3} ms/image wall ({1000 / bestBatch:F0} images/s), {batchCpu:F3} ms/image CPU"));

        SceneStatistics stats = SceneStatistics.Collect(0, 1000, 64);
        for (int l = 0; l < SceneLabels.Count; l++)
        {
            var label = (SceneLabel)l;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{SceneLabels.Names[l],-7} pixels {stats.PixelShare(label) * 100,6:F2}%  images {stats.ImageFrequency(label) * 100,5:F1}%  mean row {stats.MeanRow[l]:F2}"));
        }
    }
}
