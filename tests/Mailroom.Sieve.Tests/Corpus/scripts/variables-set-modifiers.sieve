require ["variables", "fileinto"];
set "a" "Hello World";
set :lower "b" "${a}";
set :upperfirst :lower "c" "wORLD";
set :length "d" "${a}";
set :quotewildcard "e" "*?\\";
if string :is "${b}" "hello world" { fileinto "lower"; }
if string :is "${c}" "World" { fileinto "upperfirst"; }
if string :is "${d}" "11" { fileinto "length"; }
if string :is "${e}" "\\*\\?\\\\" { fileinto "quoted"; }
