# Just enough of nixpkgs' `lib` to evaluate nix/module.nix and nix/package.nix without nixpkgs.
# Option declarations become plain records; mkIf/mkDefault keep their arguments visible so a
# test can look at both the condition and what it guards.
let
  option = kind: attrs: attrs // { _type = "option"; inherit kind; };
in
rec {
  mkOption = attrs: option "option" attrs;
  mkEnableOption =
    name:
    option "enable" {
      type = types.bool;
      default = false;
      description = "Whether to enable ${name}.";
    };
  mkIf = condition: content: {
    _type = "if";
    inherit condition content;
  };
  mkDefault = content: {
    _type = "override";
    priority = 1000;
    inherit content;
  };
  literalExpression = text: {
    _type = "literalExpression";
    inherit text;
  };

  types = {
    bool = { name = "bool"; };
    package = { name = "package"; };
    str = { name = "str"; };
    ints.between = lowest: highest: {
      name = "intBetween";
      inherit lowest highest;
    };
  };

  hasPrefix = prefix: text: builtins.substring 0 (builtins.stringLength prefix) text == prefix;
  cleanSource = src: src;
  cleanSourceWith = { src, filter ? null, ... }: src;
  platforms.linux = [ "x86_64-linux" ];
}
