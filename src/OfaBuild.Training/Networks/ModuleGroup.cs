namespace OfaBuild.Training.Networks;

/// <summary>A parameter-only container that gives its children the reference's names (e.g. "depth_conv" holding "conv", "bn", "se").</summary>
internal sealed class ModuleGroup : torch.nn.Module
{
    public ModuleGroup(string name, params (string Name, torch.nn.Module Module)[] children) : base(name)
    {
        foreach (var (n, m) in children) register_module(n, m);
    }
}
