using System.Diagnostics;
using SemanticManipulation.Adaptation;
using SemanticManipulation.Editing;
using SemanticManipulation.Imaging;
using SemanticManipulation.Inversion;
using SemanticManipulation.Pipeline;
using SemanticManipulation.Tests.DefaultModel;
using TorchSharp;
using Xunit;
using Xunit.Abstractions;
using static TorchSharp.torch;
using EmbeddedModel = SemanticManipulation.DefaultModel;

namespace SemanticManipulation.Tests.Pipeline;

/// <summary>The resident set is the whole process's: other test classes running beside the soak would count as its growth
/// (at 128² the Heavy classes beside it added 750 MB while its own edits held the set flat), so it runs alone.</summary>
[CollectionDefinition(nameof(SoakTests), DisableParallelization = true)]
public sealed class SoakTestsRunAlone;

/// <summary>Many edits in one process hold native memory flat; editors on two threads give what they give one after the other.</summary>
[Collection(nameof(SoakTests))]
public sealed class SoakTests(ITestOutputHelper output)
{
    private static readonly string[] Concepts = ["tree", "grass"];

    private static readonly SemanticEditOptions Short = new()
    {
        Inversion = new InversionOptions { Steps = 20 },
        Adaptation = new AdaptationOptions { Steps = 20 },
    };

    [Fact]
    [Trait("Category", "Heavy")]
    public void A_hundred_edits_in_one_process_leave_native_memory_and_live_tensors_flat()
    {
        using var model = EmbeddedModel.Load();
        var editor = model.CreateEditor();
        long liveAfterWarmUp = 0, residentAfterWarmUp = 0;
        for (var i = 0; i < 100; i++)
        {
            using (var result = Edit(editor, i % 2 == 0 ? "tree" : "grass"))
            {
                Assert.True(result.Metrics.UneditedPsnrDb > 15, $"edit {i}: unedited PSNR {result.Metrics.UneditedPsnrDb:F1} dB");
            }

            if (i == 9)
            {
                (liveAfterWarmUp, residentAfterWarmUp) = Measure();
            }
        }

        var (live, resident) = Measure();
        output.WriteLine($"after 10 edits: {liveAfterWarmUp} live tensors, RSS {residentAfterWarmUp >> 20} MB; after 100: {live} live tensors, RSS {resident >> 20} MB");
        Assert.Equal(liveAfterWarmUp, live);
        Assert.True(resident - residentAfterWarmUp < 96L << 20, $"RSS grew by {(resident - residentAfterWarmUp) >> 20} MB over 90 edits");
    }

    [Fact]
    public void Two_editors_on_two_threads_give_the_same_images_as_one_after_the_other()
    {
        var sequential = new[] { RenderOnce("tree"), RenderOnce("grass") };

        var concurrent = new float[2][];
        var threads = Concepts.Select((concept, i) => new Thread(() => concurrent[i] = RenderOnce(concept))).ToArray();
        foreach (var thread in threads)
        {
            thread.Start();
        }

        foreach (var thread in threads)
        {
            thread.Join();
        }

        Assert.Equal(sequential[0], concurrent[0]);
        Assert.Equal(sequential[1], concurrent[1]);
        Assert.NotEqual(sequential[0], sequential[1]);
    }

    private static float[] RenderOnce(string concept)
    {
        using var model = EmbeddedModel.Load();
        using var result = Edit(model.CreateEditor(), concept);
        return result.Image.data<float>().ToArray();
    }

    private static SemanticEditResult Edit(SemanticEditor editor, string concept)
    {
        using var scope = NewDisposeScope();
        using var photo = ImageTensor.Load(DefaultModelFixture.SamplePhoto("church.jpg"), editor.Generator.Resolution);
        var mask = EditMask.Load(DefaultModelFixture.SamplePhoto("church-trees-mask.png"), photo.Fit);
        using var edit = editor.Open(photo.Tensor, Short);
        edit.Apply(new AddConcept(concept, mask));
        return edit.Render();
    }

    private static (long Live, long Resident) Measure()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        return (DisposeScopeManager.Statistics.ThreadTotalLiveCount, process.WorkingSet64);
    }
}
