-- Plans are quota-service's configuration: a plan added there can be assigned to a group without a change here.
-- The application checks a plan against quota-service's list (PlanNames); the table keeps only the shape of a name.
ALTER TABLE groups DROP CONSTRAINT groups_plan_check;
ALTER TABLE groups ADD CONSTRAINT groups_plan_name CHECK (plan ~ '^[A-Za-z0-9_.-]{1,64}$');
