using System.Runtime;
using SemanticManipulation.Runtime;
using Xunit;

namespace SemanticManipulation.Tests.Runtime;

/// <summary>The fence is process-wide, like the no-GC region it holds: these tests run alone.</summary>
[CollectionDefinition(nameof(CollectionFenceTests), DisableParallelization = true)]
public sealed class CollectionFenceTestsRunAlone;

[Collection(nameof(CollectionFenceTests))]
public sealed class CollectionFenceTests
{
    [Fact]
    public void No_collection_runs_inside_a_fenced_step_while_another_thread_allocates()
    {
        using var fence = CollectionFence.Enter();
        Assert.True(fence.Active);
        var allocator = new Thread(() =>
        {
            var keep = new object[64];
            for (var i = 0; i < 24_000; i++)
            {
                keep[i & 63] = new byte[2000]; // 48 MB in all: past a gen0 budget (two, unfenced, here), within the fence's
            }
        });
        var collections = GC.CollectionCount(0);
        allocator.Start();
        allocator.Join();

        Assert.Equal(collections, GC.CollectionCount(0));
        Assert.True(fence.Active);
    }

    [Fact]
    public void A_checkpoint_lets_a_due_collection_run_and_fences_again()
    {
        using var fence = CollectionFence.Enter();
        GC.Collect(); // an explicit collection ends any no-GC region
        Assert.False(fence.Active);

        var collections = GC.CollectionCount(0);
        fence.Checkpoint();

        Assert.True(fence.Active);
        Assert.True(GC.CollectionCount(0) > collections, "re-arming collects first, between steps");
    }

    [Fact]
    public void The_fence_stands_down_when_collections_keep_ending_its_region_within_a_few_steps()
    {
        using var fence = CollectionFence.Enter();
        for (var region = 0; region < 2; region++)
        {
            GC.Collect();
            fence.Checkpoint();
            Assert.True(fence.Active, "two short-lived regions: still fencing");
        }

        GC.Collect();
        var collections = GC.CollectionCount(2);
        fence.Checkpoint();
        fence.Checkpoint();

        Assert.False(fence.Active);
        Assert.Equal(collections, GC.CollectionCount(2)); // no more full collections forced by re-arming
    }

    [Fact]
    public void One_loop_holds_the_fence_and_a_second_runs_unfenced_without_ending_the_first()
    {
        using var first = CollectionFence.Enter();
        using (var second = CollectionFence.Enter())
        {
            Assert.False(second.Active);
            second.Checkpoint();
        }

        Assert.True(first.Active);
        first.Dispose();
        Assert.NotEqual(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);

        using var next = CollectionFence.Enter();
        Assert.True(next.Active);
    }
}
