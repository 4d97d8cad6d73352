/* a bracket comment
   over lines */
require ["fileinto", # hash comment
         "reject"];
if header :contains "subject" text:
Budget
.
{
  fileinto text: # comment after text:
..dotted
.
;
}
