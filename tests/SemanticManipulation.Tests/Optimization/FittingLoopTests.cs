using SemanticManipulation.Optimization;
using Xunit;

namespace SemanticManipulation.Tests.Optimization;

public sealed class FittingLoopTests
{
    [Fact]
    public void A_resumed_loop_takes_the_remaining_steps_and_reports_at_the_interval_and_the_last_step()
    {
        var taken = new List<int>();
        var reported = new List<int>();
        var completed = new List<int>();

        var outcome = new FittingLoop<double>(new FittingOptions { Steps = 10, StepsDone = 3, ProgressInterval = 4 }, step =>
        {
            taken.Add(step);
            return step;
        })
        {
            Report = (step, _) => reported.Add(step),
            Completed = (step, _) => completed.Add(step),
        }.Run(CancellationToken.None);

        Assert.Equal([4, 5, 6, 7, 8, 9, 10], taken);
        Assert.Equal([4, 8, 10], reported);
        Assert.Equal(taken, completed);
        Assert.Equal(new FittingOutcome<double>(10, false, First: 4), outcome);
    }

    [Fact]
    public void The_early_stop_rule_ends_the_loop_after_reporting_its_step()
    {
        var reported = new List<int>();

        var outcome = new FittingLoop<double>(new FittingOptions { Steps = 100, ProgressInterval = 50 }, step => step)
        {
            StopWhen = value => value >= 7,
            Report = (step, _) => reported.Add(step),
        }.Run(CancellationToken.None);

        Assert.Equal([7], reported);
        Assert.Equal(new FittingOutcome<double>(7, true, First: 1), outcome);
    }

    [Fact]
    public void Stopping_at_the_last_step_is_not_early()
    {
        var outcome = new FittingLoop<double>(new FittingOptions { Steps = 5 }, step => step) { StopWhen = value => value >= 5 }
            .Run(CancellationToken.None);

        Assert.Equal(new FittingOutcome<double>(5, false, First: 1), outcome);
    }

    [Fact]
    public void A_non_finite_loss_stops_the_loop_with_a_message_naming_the_step_and_learning_rate()
    {
        var reported = new List<int>();
        var loop = new FittingLoop<double>(
            new FittingOptions { Steps = 10, Divergence = new DivergenceRule("Encoder training", 0.01, "trunk") },
            step => step == 3 ? double.NaN : 1.0)
        {
            Loss = loss => loss,
            Report = (step, _) => reported.Add(step),
        };

        var error = Assert.Throws<FittingDivergedException>(() => loop.Run(CancellationToken.None));

        Assert.Equal("Encoder training diverged in trunk at step 3 (loss NaN); lower the learning rate (0.01).", error.Message);
        Assert.Equal((3, double.NaN), (error.Step, error.Loss));
        Assert.Equal([1, 2], reported);
    }

    [Fact]
    public void Without_a_divergence_rule_a_non_finite_loss_goes_on()
    {
        var outcome = new FittingLoop<double>(new FittingOptions { Steps = 3 }, _ => double.PositiveInfinity).Run(CancellationToken.None);

        Assert.Equal(3, outcome.StepsDone);
    }

    [Fact]
    public void Cancellation_is_seen_before_the_next_step()
    {
        using var cancellation = new CancellationTokenSource();
        var taken = new List<int>();
        var loop = new FittingLoop<double>(new FittingOptions { Steps = 10 }, step =>
        {
            taken.Add(step);
            return step;
        })
        {
            Report = (step, _) =>
            {
                if (step == 2)
                {
                    cancellation.Cancel();
                }
            },
        };

        Assert.ThrowsAny<OperationCanceledException>(() => loop.Run(cancellation.Token));
        Assert.Equal([1, 2], taken);
    }

    [Theory]
    [InlineData(7, new[] { 3, 6, 7 })]    // cancelled between checkpoints: the interval's, then the last finished step
    [InlineData(6, new[] { 3, 6 })]       // cancelled right after an interval checkpoint: nothing written twice
    [InlineData(10, new[] { 3, 6, 9 })]   // finished: never at the last step, whose state the caller writes itself
    public void Checkpoints_fall_on_the_interval_short_of_the_last_step_and_on_the_last_finished_step_of_a_cancelled_loop(
        int cancelAfter, int[] expected)
    {
        using var cancellation = new CancellationTokenSource();
        var events = new List<string>();
        var loop = new FittingLoop<double>(new FittingOptions { Steps = 10, StepsDone = 1, CheckpointInterval = 3 }, step => step)
        {
            Completed = (step, _) =>
            {
                if (step == cancelAfter)
                {
                    cancellation.Cancel();
                }
            },
            Checkpoint = step => events.Add($"checkpoint {step}"),
            Cancelled = step => events.Add($"cancelled {step}"),
        };

        if (cancelAfter < 10)
        {
            Assert.ThrowsAny<OperationCanceledException>(() => loop.Run(cancellation.Token));
            Assert.Equal([.. expected.Select(s => $"checkpoint {s}"), $"cancelled {cancelAfter}"], events);
        }
        else
        {
            loop.Run(cancellation.Token);
            Assert.Equal(expected.Select(s => $"checkpoint {s}"), events);
        }

        // A loop cancelled before its first step has nothing new to checkpoint.
        var resumed = new List<int>();
        Assert.ThrowsAny<OperationCanceledException>(() => new FittingLoop<double>(
            new FittingOptions { Steps = 10, StepsDone = 4, CheckpointInterval = 3 }, step => step) { Checkpoint = resumed.Add }.Run(cancellation.Token));
        Assert.Empty(resumed);
    }

    [Fact]
    public void A_cancelled_loop_hands_its_last_finished_step_to_the_caller_before_throwing()
    {
        using var cancellation = new CancellationTokenSource();
        var cancelledAt = new List<int>();
        var loop = new FittingLoop<double>(new FittingOptions { Steps = 10, StepsDone = 3 }, step => step)
        {
            Completed = (step, _) =>
            {
                if (step == 6)
                {
                    cancellation.Cancel();
                }
            },
            Cancelled = cancelledAt.Add,
        };

        Assert.ThrowsAny<OperationCanceledException>(() => loop.Run(cancellation.Token));
        Assert.Equal([6], cancelledAt);

        // Cancelled before it took a step: the steps done before the loop.
        var before = new List<int>();
        Assert.ThrowsAny<OperationCanceledException>(() =>
            new FittingLoop<double>(new FittingOptions { Steps = 10, StepsDone = 3 }, step => step) { Cancelled = before.Add }.Run(cancellation.Token));
        Assert.Equal([3], before);
    }

    [Fact]
    public void A_loop_that_finishes_or_is_cancelled_during_its_last_step_never_calls_the_cancellation_callback()
    {
        using var cancellation = new CancellationTokenSource();
        var called = new List<int>();

        new FittingLoop<double>(new FittingOptions { Steps = 3 }, step => step) { Cancelled = called.Add }.Run(CancellationToken.None);
        new FittingLoop<double>(new FittingOptions { Steps = 3 }, step =>
        {
            if (step == 3)
            {
                cancellation.Cancel();
            }

            return step;
        })
        { Cancelled = called.Add }.Run(cancellation.Token);

        Assert.Empty(called);
    }
}
