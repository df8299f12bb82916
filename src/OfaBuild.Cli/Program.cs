using OfaBuild.Cli.Commands;

return await CommandList.InvokeAsync(args, CommandList.Host());
