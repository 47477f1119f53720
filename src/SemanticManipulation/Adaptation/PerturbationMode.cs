namespace SemanticManipulation.Adaptation;

/// <summary>How δ acts on a perturbed feature map h.</summary>
public enum PerturbationMode
{
    /// <summary><c>h · (1 + δ)</c>, the paper's choice: δ rescales features, so it cannot invent content where h is zero.</summary>
    Multiplicative,

    /// <summary><c>h + δ</c>, the paper's ablation.</summary>
    Additive,
}
