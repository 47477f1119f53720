using SemanticManipulation.Adaptation;
using Xunit;

namespace SemanticManipulation.Tests.Adaptation;

public sealed class LearningRateScheduleTests
{
    [Fact]
    public void The_papers_constant_rate_is_the_base_rate_at_every_step()
    {
        Assert.All(Enumerable.Range(1, 1000), step => Assert.Equal(1.0, LearningRateSchedule.Constant.FactorAt(step, 1000)));
        Assert.Equal("constant", LearningRateSchedule.Constant.ToString());
    }

    [Fact]
    public void Warm_up_climbs_to_the_peak_holds_it_and_the_decay_settles_towards_zero_without_reaching_it()
    {
        var schedule = new LearningRateSchedule(peakFactor: 2, warmupFraction: 0.1, decayFraction: 0.3);
        var factors = Enumerable.Range(1, 1000).Select(step => schedule.FactorAt(step, 1000)).ToArray();

        Assert.Equal(0.02, factors[0], 12);                                       // step 1 of a 100-step warm-up
        Assert.True(factors.Take(100).Zip(factors.Skip(1).Take(99)).All(p => p.Second > p.First));
        Assert.All(factors.Skip(99).Take(601), f => Assert.Equal(2.0, f));         // steps 100 … 700: the plateau
        Assert.True(factors.Skip(700).Zip(factors.Skip(701)).All(p => p.Second < p.First));
        Assert.InRange(factors[^1], 1e-6, 1e-3);
        Assert.InRange(factors[849], 0.98, 1.02);                                 // half-way down the decay: half the peak
    }

    [Fact]
    public void A_short_fit_follows_the_same_shape_as_a_long_one()
    {
        var schedule = LearningRateSchedule.PlateauThenCosine;
        var shortFit = Enumerable.Range(1, 20).Select(step => schedule.FactorAt(step, 20)).ToArray();

        Assert.Equal(0, schedule.WarmupFraction);
        Assert.Equal(schedule.PeakFactor, shortFit[0]);
        Assert.Equal(schedule.PeakFactor, shortFit[13]);          // the last 6 of 20 steps decay
        Assert.True(shortFit[14] < schedule.PeakFactor && shortFit[19] > 0 && shortFit[19] < shortFit[14]);
        Assert.Equal(schedule.PeakFactor, schedule.FactorAt(1, 1));   // a one-step fit: nothing to warm up or decay over
    }

    [Theory]
    [InlineData(0, 0.1, 0.3, "peakFactor")]
    [InlineData(double.PositiveInfinity, 0.1, 0.3, "peakFactor")]
    [InlineData(2, -0.1, 0.3, "warmupFraction")]
    [InlineData(2, double.NaN, 0.3, "warmupFraction")]
    [InlineData(2, 0.1, 1.5, "decayFraction")]
    [InlineData(2, 0.8, 0.3, "decayFraction")]
    public void Schedules_that_do_not_fit_in_a_fit_are_refused(double peak, double warmup, double decay, string parameter)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new LearningRateSchedule(peak, warmup, decay));
        Assert.Equal(parameter, error.ParamName);
    }

    [Fact]
    public void A_step_outside_the_fit_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => LearningRateSchedule.PlateauThenCosine.FactorAt(0, 10));
        Assert.Throws<ArgumentOutOfRangeException>(() => LearningRateSchedule.PlateauThenCosine.FactorAt(11, 10));
    }

    [Theory]
    [InlineData(1, 0, 0, "constant")]
    [InlineData(2, 0, 0.3, "2× from the start, cosine decay over the last 30 %")]
    [InlineData(2, 0.1, 0.3, "warm-up over the first 10 % to 2×, cosine decay over the last 30 %")]
    [InlineData(1, 0, 0.5, "cosine decay over the last 50 %")]
    public void A_schedule_describes_only_the_phases_it_has(double peak, double warmup, double decay, string expected)
    {
        Assert.Equal(expected, new LearningRateSchedule(peak, warmup, decay).ToString());
    }
}
