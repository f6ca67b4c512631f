"""The set -> review -> close loop and the one application service every caller goes through."""
