import { ExchangeFailure } from '../exchange/exchange-failure.js';
import type { Step } from '../exchange/step.js';

/** An application ARN as the model's clientId doc string describes it. */
export const APPLICATION_ARN = /^arn:(aws|aws-us-gov|aws-cn|aws-iso|aws-iso-b):sso::\d{12}:application\/(sso)?ins-[a-zA-Z0-9-.]{16}\/apl-[a-zA-Z0-9]{16}$/;

/** 1. `clientId` is the ARN of an application of a known instance. */
export const checkClientIsApplication: Step<never, 'client' | 'application' | 'instance' | 'identityStore'> = {
  name: 'client-is-application',
  title: 'clientId names a known application',
  run(ctx) {
    const { clientId } = ctx.request;
    if (clientId === undefined || clientId === '') {
      throw new ExchangeFailure('client.missing', 'clientId is missing; CreateTokenWithIAM needs the application ARN as clientId');
    }
    if (!APPLICATION_ARN.test(clientId)) {
      throw new ExchangeFailure(
        'client.malformed',
        `clientId ${JSON.stringify(clientId)} is not an application ARN; CreateTokenWithIAM's clientId is the ARN of a customer-managed application (arn:aws:sso::<account>:application/ssoins-…/apl-…), not an OAuth client id`,
        'pass the ApplicationArn that CreateApplication returned',
        { clientId },
      );
    }
    const { state } = ctx;
    const application = state.applications[clientId];
    if (!application) {
      throw new ExchangeFailure('client.unknown', `no application ${clientId} exists in this lab`, 'create it with sso-admin CreateApplication, or check the ARN', { clientId });
    }
    const instance = state.instances[application.InstanceArn];
    const identityStore = instance ? state.identityStores[instance.IdentityStoreId] : undefined;
    if (!instance || !identityStore) throw new ExchangeFailure('client.unknown', `application ${clientId} belongs to no live instance`, undefined, { clientId });
    return {
      reason: `application "${application.Name}" of instance ${instance.InstanceArn}`,
      facts: { applicationArn: clientId, instanceArn: instance.InstanceArn },
      set: { client: { kind: 'application', id: clientId, application }, application, instance, identityStore },
    };
  },
};
