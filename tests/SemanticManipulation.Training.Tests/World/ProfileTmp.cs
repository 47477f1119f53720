#pragma warning disable CA1305
using System.Diagnostics;
using SemanticManipulation.Training.World;
using SemanticManipulation.Training.World.Layout;
using SemanticManipulation.Training.World.Painting;
using SemanticManipulation.Training.World.Rendering;
using Xunit.Abstractions;

namespace SemanticManipulation.Training.Tests.World;

public class ProfileTmp(ITestOutputHelper output)
{
    [Fact]
    public void Profile()
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("SM_WORLD_REPORT"))) return;
        var options = new SceneWorldOptions();
        var canvas = new SampleCanvas(64);
        var rgb = new byte[3 * 64 * 64];
        var labels = new byte[64 * 64];
        for (int rep = 0; rep < 3; rep++)
        {
            var w = Stopwatch.StartNew();
            var plans = new List<ScenePlan>();
            for (int i = 0; i < 2000; i++) plans.Add(SceneComposer.Compose(i, options));
            double compose = w.Elapsed.TotalMilliseconds / 2000;
            w.Restart();
            foreach (var p in plans) ScenePainter.Paint(p, canvas);
            double paint = w.Elapsed.TotalMilliseconds / 2000;
            w.Restart();
            foreach (var p in plans) canvas.Resolve(p.Finish, rgb, labels);
            double resolve = w.Elapsed.TotalMilliseconds / 2000;
            output.WriteLine(string.Join(" ", ScenePainter.T.Select(t => (t / 2000).ToString("F3", System.Globalization.CultureInfo.InvariantCulture))));
            Array.Clear(ScenePainter.T);
            output.WriteLine($"compose {compose:F3} paint {paint:F3} resolve {resolve:F3}");
        }
    }
}
